/** What other libs' and tools' tests may use of the engine's test support (`#clip/test-support`). */
export {
  imagePath,
  PARITY_DIR,
  PARITY_MODEL,
  reference,
  referencePixels,
  type ParityReference,
} from './parity-fixture.js';
export {
  DataType,
  gemmTestModel,
  onnxModel,
  pseudoRandom,
  type ModelSpec,
  type NodeSpec,
  type TensorSpec,
  type ValueSpec,
} from './onnx-builder.js';
export { floatValues, readModel } from '../quantize/onnx-model.js';
