import type { RunningApp } from './app-process.js';
import { gql, type GraphQLResponse } from './graphql-client.js';

/** One quick model call as a client sends it: a GraphQL operation and its variables. */
export interface QuickCall {
  name: string;
  query: string;
  variables: Record<string, unknown>;
}

const LABELS = ['a red circle', 'a blue square', 'a green triangle', 'a yellow star'];

/**
 * Every quick model call, on `image` (base64 of a procedural scene), selecting every number it answers
 * (and no URL, which names the host). The end-to-end tests and the model-call bench send these.
 */
export function quickCalls(image: string): QuickCall[] {
  const byBase64 = { base64: image };
  return [
    {
      name: 'classify',
      query: `query($image: ImageInput!, $labels: [String!]!) {
        classify(image: $image, labels: $labels) { label probability similarity percentile } }`,
      variables: { image: byBase64, labels: LABELS },
    },
    {
      name: 'scoreCaptions',
      query: `mutation($input: ScoreCaptionsInput!) {
        scoreCaptions(input: $input) { caption similarity percentile clipScore refClipScore } }`,
      variables: {
        input: {
          items: [
            { image: byBase64, caption: 'a red circle', references: ['a red shape on white'] },
            { image: byBase64, caption: 'a blue square' },
          ],
        },
      },
    },
    {
      name: 'rankCaptions',
      query: `query($image: ImageInput!, $captions: [String!]!) {
        rankCaptions(image: $image, captions: $captions) { caption similarity percentile clipScore probability } }`,
      variables: { image: byBase64, captions: LABELS },
    },
    {
      name: 'moderate',
      query: `mutation($image: ImageInput!, $policy: ModerationPolicyInput!) {
        moderate(image: $image, policy: $policy) {
          flagged heatmapRule heatmap { id width height }
          rules { name score windowScore imageScore threshold flagged regions { x y width height score } } } }`,
      variables: {
        image: byBase64,
        policy: { rules: [{ name: 'red', description: 'a red circle', threshold: 0.4 }] },
      },
    },
    {
      name: 'searchAssets (text)',
      query: `query($text: String!) {
        searchAssets(text: $text, k: 5) { hits { score percentile asset { id } } droppedBelowPercentile } }`,
      variables: { text: 'a red circle on a white background' },
    },
    {
      name: 'searchAssets (image)',
      query: `query($image: ImageInput!) {
        searchAssets(image: $image, k: 5, minPercentile: 50) { hits { score percentile asset { id } } droppedBelowPercentile } }`,
      variables: { image: byBase64 },
    },
    {
      name: 'captionByRetrieval',
      query: `query($image: ImageInput!) {
        captionByRetrieval(image: $image, k: 3) { captions { caption score percentile } droppedBelowPercentile } }`,
      variables: { image: byBase64 },
    },
  ];
}

/** Sends one quick call to `app`. */
export function sendQuickCall(app: RunningApp, call: QuickCall): Promise<GraphQLResponse<unknown>> {
  return gql(app.url, call.query, call.variables);
}

/**
 * What searchAssets finds: two procedural scenes of each of three prompts, generated through `app` by
 * the cluster's `local` generator with fixed seeds, so every deployment stores the same assets.
 */
export async function generateSearchables(app: RunningApp): Promise<void> {
  const prompts = ['a red circle', 'a blue square', 'a green triangle'];
  for (const [i, prompt] of prompts.entries()) {
    const answer = await gql(
      app.url,
      `mutation($input: GenerateInput!) { generate(input: $input) { candidates { rank } } }`,
      {
        input: { prompt: `${prompt} on a white background`, count: 2, seed: 100 + i, generators: ['local'] },
      },
    );
    if (answer.errors) throw new Error(`generate failed: ${JSON.stringify(answer.errors)}`);
  }
}
