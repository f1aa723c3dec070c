export { canonicalCaption, CAPTIONS_PER_SCENE, captionsFor, singleObjectCaptions } from './captions.js';
export { captionedScene, captionedScenes, type CaptionedScene } from './captioned-scenes.js';
export { SAMPLE_PNGS, writeDataset, type DatasetOptions, type DatasetSummary } from './dataset.js';
export {
  makeSample,
  sampleScene,
  toModelInput,
  type RenderRecord,
  type Sample,
  type SampleOptions,
  type SampleRecord,
  type Split,
} from './dataset-sample.js';
export { parsePrompt } from './prompt-parser.js';
export { deriveSeed, Random } from './random.js';
export {
  rasterizeScene,
  RENDER_SIZE_LIMITS,
  renderScene,
  type Box,
  type RenderedScene,
  type RenderOptions,
} from './render-scene.js';
export {
  DEFAULT_FIDELITY,
  realizeScene,
  type ObjectRequest,
  type RealizeOptions,
  type Scene,
  type SceneObject,
  type SceneRequest,
} from './scene.js';
export * from './vocabulary.js';
export { proceduralPlugin } from './procedural-plugin.js';
