export { PopularityRecommender, fitPopularity } from './popularity.recommender';
export { ItemKnnRecommender, fitItemKnn, type ItemKnnOptions } from './item-knn.recommender';
export { EaseRecommender, fitEase, EASE_MAX_ITEMS_LIMIT, type EaseOptions } from './ease.recommender';
export { invertSpd } from './dense.inverse';
export type { MatrixShape } from './interaction.lists';
