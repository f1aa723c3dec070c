import sharp from 'sharp';
import { graphqlRequest, type SoakRequest, uploadRequest } from './client.js';
import type { Rng } from './prng.js';

const GENERATE = `mutation($input: GenerateInput!) { generate(input: $input) {
  candidates { asset { id } } errors { generator code } } }`;
const SUBMIT = `mutation($input: GenerateInput!) { submitGenerate(input: $input) { id } }`;
const EDIT = `mutation($input: EditImageInput!) { editImage(input: $input) { accepted asset { id } } }`;
const SCORE = `mutation($input: ScoreCaptionsInput!) { scoreCaptions(input: $input) { clipScore } }`;
const CLASSIFY = `query($image: ImageInput!, $labels: [String!]!) { classify(image: $image, labels: $labels) {
  label probability } }`;

const COLOURS = ['red', 'green', 'blue', 'yellow', 'white', 'black'];
const SHAPES = ['circle', 'square', 'triangle', 'star'];

export type Operation = 'generate' | 'submitGenerate' | 'editImage' | 'scoreCaptions' | 'classify' | 'upload';
/** The load part's mix; the distributed part adds `submitGenerate`, whose callers wait for the job. */
export const OPERATIONS: readonly Operation[] = [
  'generate',
  'editImage',
  'scoreCaptions',
  'classify',
  'upload',
];

/** A small image of noise, different for every call: uploads that are new bytes each time. */
export async function noiseImage(rng: Rng, size = 48): Promise<Buffer> {
  const pixels = rng.bytes(size * size * 3);
  const image = sharp(pixels, { raw: { width: size, height: size, channels: 3 } });
  return rng.chance(0.5) ? image.png().toBuffer() : image.jpeg().toBuffer();
}

const generatedIds = (body: unknown): string[] =>
  (
    body as { data?: { generate?: { candidates: { asset: { id: string } }[] } } }
  ).data?.generate?.candidates.map((c) => c.asset.id) ?? [];

const submittedId = (body: unknown): string | undefined =>
  (body as { data?: { submitGenerate?: { id: string } } }).data?.submitGenerate?.id;

const editedIds = (body: unknown): string[] => {
  const id = (body as { data?: { editImage?: { asset?: { id: string } | null } } }).data?.editImage?.asset
    ?.id;
  return id ? [id] : [];
};

/**
 * The soak's requests: each draws an operation and its inputs from `rng`, working on assets stored
 * earlier in the run (`known`), and `generators` as configured (the flaky ones included).
 */
export interface WorkloadOptions {
  rng: Rng;
  /** Assets to work on; at least one. */
  known: string[];
  generators: readonly string[];
  /** The generators that edit in GENERATOR mode. */
  flaky: readonly string[];
  /** What to send (all operations by default). */
  ops?: readonly Operation[];
}

export class Workload {
  constructor(private readonly options: WorkloadOptions) {}

  async next(): Promise<SoakRequest> {
    const { rng, known, generators, flaky } = this.options;
    const op = rng.pick(this.options.ops ?? OPERATIONS);
    const image = { assetId: rng.pick(known) };
    const prompt = `a ${rng.pick(COLOURS)} ${rng.pick(SHAPES)} on a ${rng.pick(COLOURS)} background`;
    switch (op) {
      case 'generate':
      case 'submitGenerate': {
        const input = { prompt, count: 1 + rng.int(2), seed: rng.int(1e6), generators };
        return op === 'generate'
          ? graphqlRequest(op, GENERATE, { input }, generatedIds)
          : { ...graphqlRequest(op, SUBMIT, { input }), jobOf: submittedId };
      }
      case 'editImage': {
        const byGenerator = rng.chance(0.5);
        const input = {
          image,
          instruction: `make the ${rng.pick(SHAPES)} ${rng.pick(COLOURS)}`,
          budget: 8,
          ...(byGenerator ? { mode: 'GENERATOR', generators: flaky } : {}),
        };
        return graphqlRequest(op, EDIT, { input }, editedIds);
      }
      case 'scoreCaptions':
        return graphqlRequest(op, SCORE, {
          input: { items: [{ image, caption: prompt, references: [`a ${rng.pick(SHAPES)}`] }] },
        });
      case 'classify':
        return graphqlRequest(op, CLASSIFY, { image, labels: SHAPES.map((s) => `a ${s}`) });
      case 'upload':
        return uploadRequest(op, await noiseImage(rng));
    }
  }

  /** Stored assets become inputs of later requests. */
  remember(ids: readonly string[]): void {
    for (const id of ids) if (this.options.known.length < 500) this.options.known.push(id);
  }
}
