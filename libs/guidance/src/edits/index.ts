export { NAMED_COLOURS, parseColour, type Rgb } from './colours.js';
export {
  DEFAULT_CRITERIA,
  isAccepted,
  isEligible,
  type EditCriteria,
  type EditScores,
} from './edit-scores.js';
export {
  EDIT_DEFAULTS,
  editImage,
  type EditOptions,
  type EditResult,
  type EditStage,
  type EditStep,
} from './edit-search.js';
export {
  editWithGenerators,
  type GeneratorEdit,
  type GeneratorEditOptions,
  type GeneratorEditResult,
} from './generator-edits.js';
export { type EncodedImage } from './image-io.js';
export { parseInstruction, type InstructionTexts, type TextOverrides } from './instruction.js';
export {
  applyOperations,
  EditOperationError,
  MAX_OPERATIONS,
  OPERATORS,
  validateOperations,
  type ColourParam,
  type EditOperator,
  type NumberParam,
  type Operation,
  type ParamSpec,
  type ParamValue,
} from './operators.js';
