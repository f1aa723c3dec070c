import { parseColour, type Rgb } from './colours.js';
import type { EditOperator, Operation } from './operator.js';
import { EditOperationError, findOperator } from './operator-registry.js';

/** Longest chain applyOperations accepts. */
export const MAX_OPERATIONS = 16;

/** An operation checked against its operator: every parameter present, in range, colours as RGB. */
export interface ResolvedOperation {
  operator: EditOperator;
  values: Record<string, number | Rgb>;
}

/** Checks one operation against its operator's declared parameters; omitted numbers take their default. */
function resolve(operation: Operation): ResolvedOperation {
  if (typeof operation !== 'object' || operation === null || typeof operation.name !== 'string') {
    throw new EditOperationError('an operation is { name, params }');
  }
  const operator = findOperator(operation.name);
  const given = operation.params ?? {};
  if (typeof given !== 'object') throw new EditOperationError(`${operator.name}.params must be an object`);
  for (const key of Object.keys(given)) {
    if (!operator.params.some((p) => p.name === key)) {
      const known = operator.params.map((p) => p.name).join(', ');
      throw new EditOperationError(`${operator.name} has no parameter "${key}"; its parameters: ${known}`);
    }
  }
  const values: Record<string, number | Rgb> = {};
  for (const spec of operator.params) {
    const where = `${operator.name}.${spec.name}`;
    const value = given[spec.name];
    if (spec.kind === 'colour') {
      if (value === undefined) throw new EditOperationError(`${where} is required (a colour)`);
      const rgb = typeof value === 'string' ? parseColour(value) : null;
      if (!rgb) {
        throw new EditOperationError(
          `${where} must be a colour name (red, green, …) or #rrggbb, got ${show(value)}`,
        );
      }
      values[spec.name] = rgb;
      continue;
    }
    const number = value ?? spec.default;
    if (typeof number !== 'number' || !Number.isFinite(number)) {
      throw new EditOperationError(`${where} must be a finite number, got ${show(value)}`);
    }
    if (number < spec.min || number > spec.max) {
      throw new EditOperationError(`${where} must be between ${spec.min} and ${spec.max}, got ${number}`);
    }
    if (spec.integer && !Number.isInteger(number)) {
      throw new EditOperationError(`${where} must be a whole number, got ${number}`);
    }
    values[spec.name] = number;
  }
  return { operator, values };
}

function show(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}

/** Checks a whole chain, throwing EditOperationError naming the first bad step. */
export function resolveChain(operations: readonly Operation[]): ResolvedOperation[] {
  if (!Array.isArray(operations)) throw new EditOperationError('operations must be an array');
  if (operations.length > MAX_OPERATIONS) {
    throw new EditOperationError(`at most ${MAX_OPERATIONS} operations, got ${operations.length}`);
  }
  return operations.map(resolve);
}

/** Validates a chain without applying it: throws EditOperationError naming the first bad step. */
export function validateOperations(operations: readonly Operation[]): void {
  resolveChain(operations);
}
