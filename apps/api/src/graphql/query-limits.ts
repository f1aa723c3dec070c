import {
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import { ApiError } from '../errors/api-error.js';

export interface QueryLimits {
  /** Deepest selection nesting allowed. */
  maxDepth: number;
  /** Most fields a query may select, counting each field inside a list once per the list's `first`/`k` argument. */
  maxComplexity: number;
}

/**
 * Validation rules that refuse over-deep or over-broad queries before any resolver runs. Complexity
 * counts one per field, multiplied by a field's `first` or `k` argument when it has one.
 */
export function queryLimitRules(limits: QueryLimits): ((context: ValidationContext) => ASTVisitor)[] {
  return [
    (context) => ({
      OperationDefinition(node) {
        const fragments = Object.fromEntries(
          context
            .getDocument()
            .definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
            .map((f) => [f.name.value, f]),
        );
        const { depth, cost } = measure(node.selectionSet, fragments, 1, new Set());
        if (depth > limits.maxDepth) {
          context.reportError(tooComplex(`query depth ${depth} exceeds the limit of ${limits.maxDepth}`));
        } else if (cost > limits.maxComplexity) {
          context.reportError(
            tooComplex(`query complexity ${cost} exceeds the limit of ${limits.maxComplexity}`),
          );
        }
      },
    }),
  ];
}

function tooComplex(message: string): GraphQLError {
  // Apollo re-labels validation errors GRAPHQL_VALIDATION_FAILED; the original error keeps our code.
  return new GraphQLError(message, { originalError: new ApiError('QUERY_TOO_COMPLEX', message) });
}

function measure(
  selection: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  depth: number,
  visiting: Set<string>,
): { depth: number; cost: number } {
  let deepest = depth;
  let cost = 0;
  for (const node of selection.selections) {
    if (node.kind === Kind.FIELD) {
      const inner = node.selectionSet
        ? measure(node.selectionSet, fragments, depth + 1, visiting)
        : { depth, cost: 0 };
      cost += multiplier(node) * (1 + inner.cost);
      deepest = Math.max(deepest, inner.depth);
    } else {
      const name = node.kind === Kind.FRAGMENT_SPREAD ? node.name.value : null;
      if (name && visiting.has(name)) continue; // fragment cycles are reported by graphql's own rules
      const set = name
        ? fragments[name]?.selectionSet
        : node.kind === Kind.INLINE_FRAGMENT
          ? node.selectionSet
          : undefined;
      if (!set) continue;
      if (name) visiting.add(name);
      const inner = measure(set, fragments, depth, visiting);
      if (name) visiting.delete(name);
      cost += inner.cost;
      deepest = Math.max(deepest, inner.depth);
    }
  }
  return { depth: deepest, cost };
}

function multiplier(field: FieldNode): number {
  const arg = field.arguments?.find((a) => a.name.value === 'first' || a.name.value === 'k');
  return arg && arg.value.kind === Kind.INT ? Math.max(1, Number(arg.value.value)) : 1;
}
