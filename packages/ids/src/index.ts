export { IdInterner } from './id.interner';
