export { fitLda, type LdaOptions, type LdaProgress } from './lda.trainer';
export { LdaModel, type TopicTerm } from './lda.model';
export type { LdaDocument } from './lda.validation';
export type { LdaModelState } from './model.codec';
export { LDA_FORMAT_VERSION } from './model.codec';
export { LdaInputError } from './lda.errors';
export { digamma, logGamma } from './special.functions';
export { sharedTopics, type SharedTopic } from './shared-topics.explain';
