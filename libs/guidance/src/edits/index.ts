export { applyOperations } from './apply-operations.js';
export { NAMED_COLOURS } from './colour-names.js';
export { parseColour, type Rgb } from './colours.js';
export {
  DEFAULT_CRITERIA,
  isAccepted,
  isEligible,
  type EditCriteria,
  type EditScores,
} from './edit-scores.js';
export { DISTINCT_DELTA_E } from './distinct-edits.js';
export {
  EDIT_DEFAULTS,
  type EditChoice,
  editImage,
  type EditOptions,
  type EditResult,
} from './edit-search.js';
export {
  editWithGenerators,
  type GeneratorEdit,
  type GeneratorEditOptions,
  type GeneratorEditResult,
} from './generator-edits.js';
export { parseInstruction, type InstructionTexts, type TextOverrides } from './instruction.js';
export { type EditOperator, type Operation } from './operator.js';
export { EditOperationError, OPERATORS } from './operator-registry.js';
export { type ColourParam, type NumberParam, type ParamSpec, type ParamValue } from './params.js';
export { type EditStage, type EditStep } from './scorer.js';
export { MAX_OPERATIONS, validateOperations } from './validate-operations.js';
