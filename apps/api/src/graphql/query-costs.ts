import { DEFAULT_TEMPLATES, EDIT_DEFAULTS } from '#guidance';
import type { ComplexityEstimator } from 'graphql-query-complexity';
import { DEFAULT_COUNT } from '../generation/generation.service.js';

/** What a query's cost counts in: 1 is one field resolved from memory or the database. */
export const COST = {
  field: 1,
  /** A text through CLIP's text tower. */
  textEmbedding: 1,
  /** An image decoded and through CLIP's vision tower: about two texts' work. */
  imageEmbedding: 2,
  /** A candidate asked of a generator (seconds upstream), checked, stored and embedded. */
  generatedImage: 50,
  /** Windows `moderate` embeds at the default scales (0.6, 0.4, 0.25 at half-window steps), plus the whole image. */
  moderationImages: 70,
} as const;

interface FieldCost {
  args: Record<string, unknown>;
  /** The cost of the field's own selection, counted once. */
  child: number;
  /** The generators `generate` uses when a request names none. */
  generators: number;
}

const length = (list: unknown): number => (Array.isArray(list) ? list.length : 0);
const int = (value: unknown, fallback: number): number => (typeof value === 'number' ? value : fallback);
const input = (args: Record<string, unknown>): Record<string, unknown> =>
  (args['input'] as Record<string, unknown> | undefined) ?? {};

/** Candidates a `generate` input asks for: its count from each generator it names (or every one). */
const generatedImages = (args: Record<string, unknown>, generators: number): number =>
  int(input(args)['count'], DEFAULT_COUNT) * (length(input(args)['generators']) || generators);
const editEmbeddings = (args: Record<string, unknown>): number =>
  int(input(args)['budget'], EDIT_DEFAULTS.budget);

/**
 * The fields that cost more than 1 + their selection: model work and lists whose length an argument
 * decides. A list's selection is paid once per item. docs/operations.md lists the same formulas.
 */
const FIELD_COSTS: Record<string, (cost: FieldCost) => number> = {
  'Query.assets': ({ args, child }) => int(args['first'], 20) * (COST.field + child),
  'Query.searchAssets': ({ args, child }) =>
    (args['image'] ? COST.imageEmbedding : COST.textEmbedding) + int(args['k'], 10) * (COST.field + child),
  'Query.captionByRetrieval': ({ args, child }) =>
    COST.imageEmbedding + int(args['k'], 5) * (COST.field + child),
  'Query.classify': ({ args, child }) => {
    const labels = length(args['labels']);
    const templates = length(args['templates']) || DEFAULT_TEMPLATES.length;
    return COST.imageEmbedding + labels * templates * COST.textEmbedding + labels * (COST.field + child);
  },
  'Query.rankCaptions': ({ args, child }) =>
    COST.imageEmbedding + length(args['captions']) * (COST.textEmbedding + COST.field + child),
  'Mutation.scoreCaptions': ({ args, child }) => {
    const items = (input(args)['items'] as { references?: unknown }[] | undefined) ?? [];
    return items.reduce(
      (sum, item) =>
        sum + COST.imageEmbedding + (1 + length(item.references)) * COST.textEmbedding + COST.field + child,
      0,
    );
  },
  'Mutation.generate': ({ args, child, generators }) =>
    generatedImages(args, generators) * (COST.generatedImage + COST.field + child),
  'Mutation.editImage': ({ args, child }) => editEmbeddings(args) * COST.imageEmbedding + COST.field + child,
  // A job does the same work; its selection (the Job) is paid once.
  'Mutation.submitGenerate': ({ args, child, generators }) =>
    generatedImages(args, generators) * COST.generatedImage + COST.field + child,
  'Mutation.submitEdit': ({ args, child }) => editEmbeddings(args) * COST.imageEmbedding + COST.field + child,
  'Mutation.moderate': ({ args, child }) => {
    const rules =
      (args['policy'] as { rules?: { counterDescriptions?: unknown }[] } | undefined)?.rules ?? [];
    const texts = rules.reduce((sum, rule) => sum + 1 + length(rule.counterDescriptions), 0);
    return COST.moderationImages * COST.imageEmbedding + texts * COST.textEmbedding + COST.field + child;
  },
};

/** graphql-query-complexity's estimator for the fields above; others fall through to 1 + selection. */
export function fieldCostEstimator(generators: number): ComplexityEstimator {
  return ({ type, field, args, childComplexity }) =>
    FIELD_COSTS[`${type.name}.${field.name}`]?.({ args, child: childComplexity, generators });
}
