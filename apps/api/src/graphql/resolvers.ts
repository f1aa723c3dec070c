import { AssetCaptionsResolver } from '../captions/asset-captions.resolver.js';
import { CaptionsResolver } from '../captions/captions.resolver.js';
import { ClassificationResolver } from '../classification/classification.resolver.js';
import { EditResolver } from '../edits/edit.resolver.js';
import { GenerationResolver } from '../generation/generation.resolver.js';
import { GeneratorsResolver } from '../generators/generators.resolver.js';
import { AssetUrlResolver } from '../images/asset-url.resolver.js';
import { AssetsResolver } from '../images/assets.resolver.js';
import { JobsResolver } from '../jobs/jobs.resolver.js';
import { ModelsResolver } from '../models/models.resolver.js';
import { ModerationResolver } from '../moderation/moderation.resolver.js';
import { RetrievalResolver } from '../retrieval/retrieval.resolver.js';

/** Every resolver of the API: the app serves them, and emit-schema prints their schema. */
export const RESOLVERS = [
  ModelsResolver,
  GeneratorsResolver,
  GenerationResolver,
  EditResolver,
  CaptionsResolver,
  ClassificationResolver,
  ModerationResolver,
  RetrievalResolver,
  AssetsResolver,
  AssetUrlResolver,
  AssetCaptionsResolver,
  JobsResolver,
];
