export { GrowthBudget, IdInterner } from './id.interner';
