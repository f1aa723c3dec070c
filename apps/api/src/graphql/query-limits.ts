import type { ApolloServerPlugin } from '@apollo/server';
import {
  type ASTVisitor,
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import { getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { ApiError } from '../errors/api-error.js';
import { COST, fieldCostEstimator } from './query-costs.js';

/** A validation rule that refuses over-deep queries before any resolver runs. */
export function queryDepthRule(maxDepth: number): (context: ValidationContext) => ASTVisitor {
  return (context) => ({
    OperationDefinition(node) {
      const fragments = Object.fromEntries(
        context
          .getDocument()
          .definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
          .map((f) => [f.name.value, f]),
      );
      const depth = depthOf(node.selectionSet, fragments, 1, new Set());
      if (depth > maxDepth)
        context.reportError(tooComplex(`query depth ${depth} exceeds the limit of ${maxDepth}`));
    },
  });
}

/** The estimated cost of one operation: graphql-query-complexity over our per-field costs. */
export function queryCost(options: {
  schema: GraphQLSchema;
  document: DocumentNode;
  variables?: Record<string, unknown>;
  operationName?: string;
  /** Generators configured: what a `generate` naming none asks. */
  generators: number;
}): number {
  return getComplexity({
    schema: options.schema,
    query: options.document,
    variables: options.variables ?? {},
    operationName: options.operationName,
    estimators: [fieldCostEstimator(options.generators), simpleEstimator({ defaultComplexity: COST.field })],
  });
}

/**
 * Refuses an operation whose cost is over `maxComplexity` before it runs. A plugin rather than a
 * validation rule because costs depend on arguments, and arguments often come in variables, which
 * validation does not see.
 */
export function queryCostPlugin(maxComplexity: number, generators: number): ApolloServerPlugin {
  return {
    requestDidStart: async () => ({
      didResolveOperation: async ({ schema, document, request, operationName }) => {
        let cost: number;
        try {
          cost = queryCost({
            schema,
            document,
            variables: request.variables,
            operationName: operationName ?? undefined,
            generators,
          });
        } catch {
          return; // variables that do not fit the schema: execution reports them in its own words
        }
        if (cost > maxComplexity)
          throw tooComplex(`query complexity ${cost} exceeds the limit of ${maxComplexity}`);
      },
    }),
  };
}

function tooComplex(message: string): GraphQLError {
  // Apollo re-labels validation errors GRAPHQL_VALIDATION_FAILED; the original error keeps our code.
  return new GraphQLError(message, {
    originalError: new ApiError('QUERY_TOO_COMPLEX', message),
    extensions: { http: { status: 400 } },
  });
}

function depthOf(
  selection: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  depth: number,
  visiting: Set<string>,
): number {
  let deepest = depth;
  for (const node of selection.selections) {
    if (node.kind === Kind.FIELD) {
      if (node.selectionSet)
        deepest = Math.max(deepest, depthOf(node.selectionSet, fragments, depth + 1, visiting));
      continue;
    }
    const name = node.kind === Kind.FRAGMENT_SPREAD ? node.name.value : null;
    if (name && visiting.has(name)) continue; // fragment cycles are reported by graphql's own rules
    const set = name
      ? fragments[name]?.selectionSet
      : node.kind === Kind.INLINE_FRAGMENT
        ? node.selectionSet
        : undefined;
    if (!set) continue;
    if (name) visiting.add(name);
    deepest = Math.max(deepest, depthOf(set, fragments, depth, visiting));
    if (name) visiting.delete(name);
  }
  return deepest;
}
