export const CONFIG = Symbol('CONFIG');
export const SQL = Symbol('SQL');
export const EVENT_BUS = Symbol('EVENT_BUS');
export const LOGGER = Symbol('LOGGER');
export const SERVICE_NAME = Symbol('SERVICE_NAME');
export const METRICS = Symbol('METRICS');
