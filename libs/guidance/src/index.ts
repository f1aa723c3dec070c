export type { ClipPort } from './clip-port.js';
export { GUIDANCE_ERROR_CODES, GuidanceError, type GuidanceErrorCode } from './errors.js';
export { rerank, type CandidateScores, type Ranked, type RerankOptions } from './rerank/rerank.js';
export {
  generateAndRerank,
  type GenerateAndRerankRequest,
  type GenerateAndRerankResult,
} from './rerank/generate-and-rerank.js';
export {
  rankCaptions,
  scoreCaptions,
  type CaptionItem,
  type CaptionScore,
  type RankedCaption,
} from './captions/caption-scoring.js';
export { DEFAULT_TEMPLATES, fillTemplate } from './classification/templates.js';
export {
  classify,
  fitTemperature,
  labelEmbeddings,
  scoreLabels,
  type ClassifyOptions,
  type LabelScore,
} from './classification/zero-shot.js';
export {
  DEFAULT_SCALES,
  moderate,
  type ModerationOptions,
  type ModerationResult,
  type RegionScore,
  type RuleDecision,
} from './moderation/moderate.js';
export {
  DEFAULT_BASELINE,
  DEFAULT_THRESHOLD,
  validatePolicy,
  type ModerationPolicy,
  type ModerationRule,
} from './moderation/policy.js';
export { intersectionOverUnion, type Box } from './moderation/windows.js';
export { CaptionCorpus, searchByImage, searchByText, type RetrievalOptions } from './retrieval/retrieval.js';
export {
  checkMinPercentile,
  cutByPercentile,
  similarityPercentile,
  type PercentileCut,
} from './calibration/percentile.js';
export { ExactVectorIndex, type SearchHit, type VectorIndex } from './retrieval/vector-index.js';
export * from './edits/index.js';
