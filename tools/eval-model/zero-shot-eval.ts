import { type ClipEngine, dot } from '#clip';
import { procedural } from '#generators';

const { COLOURS, SHAPES, STYLES, Random, deriveSeed, renderScene, sampleScene } = procedural;
type Scene = procedural.Scene;

/**
 * The label texts the model is evaluated with: the same as the trainer's Python evaluation
 * (tools/train-clip/clipsmith_clip/evaluate.py, LABELS), so both report the same figures.
 */
const an = (phrase: string): string => (/^[aeiou]/.test(phrase) ? 'an ' : 'a ') + phrase;
export const LABELS = {
  colour: (colour: string) => `a photo of ${an(colour)} object`,
  shape: (shape: string) => `a photo of ${an(shape)}`,
  background: (colour: string) => `an object on ${an(colour)} background`,
  style: (style: string) => `${an(style)} picture`,
  canonical: (colour: string, shape: string, background: string, style: string) =>
    `${an(`${colour} ${shape}`)} on ${an(background)} background, ${style}`,
  binding: (c1: string, s1: string, c2: string, s2: string) =>
    `${an(`${c1} ${s1}`)} and ${an(`${c2} ${s2}`)}`,
};

/** In grayscale and sepia pictures colours cannot be seen: colour figures leave them out. */
const COLOUR_BLIND_STYLES = new Set(['grayscale', 'sepia']);

export interface EvalOptions {
  singleScenes: number;
  twoObjectScenes: number;
  seed: number;
  /** Each scene is rendered at a random square size in this range, then preprocessed by the engine. */
  renderSize: [number, number];
}

export interface EvalResult {
  singleScenes: number;
  twoObjectScenes: number;
  colour: number;
  background: number;
  shape: number;
  style: number;
  canonical: number;
  binding: number;
  colourAllStyles: number;
  backgroundAllStyles: number;
  canonicalAllStyles: number;
  bindingAllStyles: number;
  seconds: number;
}

/**
 * Zero-shot accuracy on freshly rendered scenes of HELD-OUT combinations (never seen in training), through
 * the TypeScript engine: each test picks the best of all its label texts.
 */
export async function evaluateZeroShot(engine: ClipEngine, options: EvalOptions): Promise<EvalResult> {
  const started = performance.now();
  const single = await renderScenes(engine, options, options.singleScenes, 0, 0);
  const two = (await renderScenes(engine, options, options.twoObjectScenes, 1, 1_000_000)).filter(
    ({ scene: s }) =>
      s.objects[0]!.colour !== s.objects[1]!.colour && s.objects[0]!.shape !== s.objects[1]!.shape,
  );
  const chromatic = single.map(({ scene }) => !COLOUR_BLIND_STYLES.has(scene.style));
  const pick = async (labels: string[], truth: (s: Scene) => number): Promise<boolean[]> => {
    const texts = await engine.embedTexts(labels);
    return single.map(({ embedding, scene }) => argmax(texts.map((t) => dot(embedding, t))) === truth(scene));
  };
  const colour = await pick(COLOURS.map(LABELS.colour), (s) => COLOURS.indexOf(s.objects[0]!.colour));
  const shape = await pick(SHAPES.map(LABELS.shape), (s) => SHAPES.indexOf(s.objects[0]!.shape));
  const background = await pick(COLOURS.map(LABELS.background), (s) => COLOURS.indexOf(s.background));
  const style = await pick(STYLES.map(LABELS.style), (s) => STYLES.indexOf(s.style));
  const canonicalKeys = canonicalCombinations();
  const canonical = await pick(
    canonicalKeys.map((k) => LABELS.canonical(...k)),
    (s) =>
      canonicalKeys.findIndex(
        ([c, sh, b, st]) =>
          c === s.objects[0]!.colour && sh === s.objects[0]!.shape && b === s.background && st === s.style,
      ),
  );
  const binding = await bindingHits(engine, two);
  const twoChromatic = two.map(({ scene }) => !COLOUR_BLIND_STYLES.has(scene.style));
  return {
    singleScenes: single.length,
    twoObjectScenes: two.length,
    colour: mean(colour, chromatic),
    background: mean(background, chromatic),
    shape: mean(shape),
    style: mean(style),
    canonical: mean(canonical, chromatic),
    binding: mean(binding, twoChromatic),
    colourAllStyles: mean(colour),
    backgroundAllStyles: mean(background),
    canonicalAllStyles: mean(canonical),
    bindingAllStyles: mean(binding),
    seconds: (performance.now() - started) / 1000,
  };
}

/** The scene's caption against the same caption with the two objects' colours swapped. */
async function bindingHits(
  engine: ClipEngine,
  two: { scene: Scene; embedding: Float32Array }[],
): Promise<boolean[]> {
  const texts = two.flatMap(({ scene }) => {
    const [a, b] = scene.objects as [Scene['objects'][0], Scene['objects'][0]];
    return [
      LABELS.binding(a.colour, a.shape, b.colour, b.shape),
      LABELS.binding(b.colour, a.shape, a.colour, b.shape),
    ];
  });
  const embeddings = await engine.embedTexts(texts);
  return two.map(
    ({ embedding }, i) => dot(embedding, embeddings[2 * i]!) > dot(embedding, embeddings[2 * i + 1]!),
  );
}

async function renderScenes(
  engine: ClipEngine,
  options: EvalOptions,
  count: number,
  twoObjectFraction: number,
  offset: number,
): Promise<{ scene: Scene; embedding: Float32Array }[]> {
  const out: { scene: Scene; embedding: Float32Array }[] = [];
  const batch = 64;
  for (let start = 0; start < count; start += batch) {
    const items = await Promise.all(
      Array.from({ length: Math.min(batch, count - start) }, async (_, k) => {
        const rng = new Random(deriveSeed(options.seed, offset + start + k));
        const scene = sampleScene(rng, { split: 'heldout', twoObjectFraction });
        const side = rng.int(options.renderSize[0], options.renderSize[1]);
        const { bytes } = await renderScene(scene, { width: side, height: side });
        return { scene, bytes };
      }),
    );
    const embeddings = await engine.embedImages(items.map((i) => i.bytes));
    items.forEach((item, k) => out.push({ scene: item.scene, embedding: embeddings[k]! }));
  }
  return out;
}

function canonicalCombinations(): [string, string, string, string][] {
  return COLOURS.flatMap((c) =>
    SHAPES.flatMap((s) =>
      COLOURS.filter((b) => b !== c).flatMap((b) =>
        STYLES.map((st) => [c, s, b, st] as [string, string, string, string]),
      ),
    ),
  );
}

function argmax(values: readonly number[]): number {
  return values.reduce((best, v, i) => (v > values[best]! ? i : best), 0);
}

function mean(hits: readonly boolean[], where?: readonly boolean[]): number {
  const kept = where ? hits.filter((_, i) => where[i]) : hits;
  return kept.length === 0 ? NaN : kept.filter(Boolean).length / kept.length;
}
