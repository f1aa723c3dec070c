import { procedural, type ImageGenerator } from '#generators';
import { type ClipPort, rerank } from '#guidance';

const { COLOURS, SHAPES, Random, deriveSeed, proceduralPlugin } = procedural;
type Scene = procedural.Scene;

export interface RerankTrialResult {
  /** Trials whose candidates mixed matching and non-matching scenes (the others test nothing). */
  trials: number;
  /** Trials where the top-ranked candidate matches the prompt. */
  topMatches: number;
  /** The same with candidates in generation order: the chance level rerank improves on. */
  firstMatches: number;
  skipped: number;
}

/**
 * Prompts naming one scene ("a red circle", "a blue star on a yellow background"); candidates from the
 * procedural generator at fidelity 0.5, so some match and some do not; does CLIP put a matching one first?
 */
export async function rerankTrials(
  clip: ClipPort,
  options: { trials: number; candidates: number; seed: number; size: number },
): Promise<RerankTrialResult> {
  const generator: ImageGenerator = proceduralPlugin.create(
    'procedural',
    { fidelity: 0.5 },
    { env: {}, fetch },
  );
  const result: RerankTrialResult = { trials: 0, topMatches: 0, firstMatches: 0, skipped: 0 };
  for (let t = 0; result.trials < options.trials; t++) {
    const rng = new Random(deriveSeed(options.seed, t));
    const colour = rng.pick(COLOURS);
    const shape = rng.pick(SHAPES);
    const background = rng.chance(0.5) ? rng.pick(COLOURS.filter((c) => c !== colour)) : null;
    const prompt = `a ${colour} ${shape}${background ? ` on a ${background} background` : ''}`;
    const images = await generator.generate(
      {
        prompt,
        count: options.candidates,
        seed: rng.uint32() % 2 ** 30,
        width: options.size,
        height: options.size,
      },
      { signal: new AbortController().signal },
    );
    const matches = (scene: Scene): boolean =>
      scene.objects.length === 1 &&
      scene.objects[0]!.colour === colour &&
      scene.objects[0]!.shape === shape &&
      (background === null || scene.background === background) &&
      // Colours cannot be judged in grayscale or sepia pictures.
      !['grayscale', 'sepia'].includes(scene.style);
    const truth = images.map((i) => matches(i.parameters['scene'] as Scene));
    if (truth.every(Boolean) || !truth.some(Boolean)) {
      result.skipped++;
      continue;
    }
    const ranked = await rerank(clip, prompt, images, (i) => i.bytes);
    result.trials++;
    if (matches(ranked[0]!.item.parameters['scene'] as Scene)) result.topMatches++;
    if (truth[0]) result.firstMatches++;
  }
  return result;
}
