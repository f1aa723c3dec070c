import { GuidanceError } from '../errors.js';
import type { EditOperator } from './operator.js';
import { OPERATOR_TABLE } from './operator-table.js';
import { COLOUR_OPERATORS } from './operators/colour.js';
import { FOCUS_OPERATORS } from './operators/focus.js';
import { GRADING_OPERATORS } from './operators/grading.js';
import { TEXTURE_OPERATORS } from './operators/texture.js';
import { TONE_OPERATORS } from './operators/tone.js';

/** A chain or parameter that cannot be applied; the message names the operator and the parameter. */
export class EditOperationError extends GuidanceError {
  constructor(message: string) {
    super('BAD_OPERATION', message);
    this.name = 'EditOperationError';
  }
}

const IMPLEMENTED: ReadonlyMap<string, EditOperator> = new Map(
  [
    ...COLOUR_OPERATORS,
    ...TONE_OPERATORS,
    ...GRADING_OPERATORS,
    ...FOCUS_OPERATORS,
    ...TEXTURE_OPERATORS,
  ].map((op) => [op.name, op]),
);

/** Every operator, in the table's order (the order a search meets them in). */
export const OPERATORS: readonly EditOperator[] = Object.values(OPERATOR_TABLE).map(({ name }) => {
  const op = IMPLEMENTED.get(name);
  if (!op) throw new Error(`operator "${name}" is declared in the table but has no implementation`);
  return op;
});

const BY_NAME: ReadonlyMap<string, EditOperator> = new Map(OPERATORS.map((op) => [op.name, op]));

export function findOperator(name: string): EditOperator {
  const op = BY_NAME.get(name);
  if (!op) {
    throw new EditOperationError(`unknown operator "${name}"; known: ${[...BY_NAME.keys()].join(', ')}`);
  }
  return op;
}
