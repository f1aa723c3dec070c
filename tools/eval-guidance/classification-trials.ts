import { softmax } from '#clip';
import { procedural } from '#generators';
import { type ClipPort, fitTemperature, labelEmbeddings, scoreCaptions, scoreLabels } from '#guidance';

const { SHAPES, Random, deriveSeed, renderScene, sampleScene, canonicalCaption } = procedural;

export interface ClassificationResult {
  scenes: number;
  /** Shape accuracy with one template ("a photo of {}") and with the template ensemble. */
  shapeSingleTemplate: number;
  shapeEnsemble: number;
  /** Expected calibration error of the top probability (10 bins), at the model's scale and after fitting T. */
  ece: number;
  eceCalibrated: number;
  temperature: number;
}

export interface CaptionScoringResult {
  pairs: number;
  /** How often the true caption scores higher than the same caption with its shape changed. */
  trueOverAltered: number;
  meanClipScoreTrue: number;
  meanClipScoreAltered: number;
}

const ENSEMBLE = ['a photo of {}', 'a picture of {}', '{}', 'a photo of {}, plain'];

async function heldOutScenes(clip: ClipPort, scenes: number, seed: number) {
  const items = await Promise.all(
    Array.from({ length: scenes }, async (_, i) => {
      const rng = new Random(deriveSeed(seed, i));
      const scene = sampleScene(rng, { split: 'heldout', twoObjectFraction: 0 });
      const { bytes } = await renderScene(scene, { width: 160, height: 160 });
      return { scene, bytes };
    }),
  );
  const embeddings = await clip.embedImages(items.map((i) => i.bytes));
  return items.map((item, i) => ({ ...item, embedding: embeddings[i]! }));
}

/** Shape classification on held-out scenes through libs/guidance: one template vs an ensemble, and calibration. */
export async function classificationTrials(
  clip: ClipPort,
  options: { scenes: number; seed: number },
): Promise<ClassificationResult> {
  const scenes = await heldOutScenes(clip, options.scenes, options.seed);
  const labels = SHAPES.map((s) => `a ${s}`);
  const truth = scenes.map(({ scene }) => SHAPES.indexOf(scene.objects[0]!.shape));
  const accuracy = async (templates: string[]): Promise<{ hits: number; rows: number[][] }> => {
    const classes = await labelEmbeddings(clip, labels, templates);
    const rows = scenes.map(({ embedding }) =>
      classes.map((c) => c.reduce((s, v, k) => s + v * embedding[k]!, 0)),
    );
    const hits = scenes.filter(
      ({ embedding }, i) =>
        scoreLabels(embedding, labels, classes, clip.info.logitScale)[0]!.label === labels[truth[i]!],
    ).length;
    return { hits, rows };
  };
  const single = await accuracy(['a photo of {}']);
  const ensemble = await accuracy(ENSEMBLE);
  const temperature = fitTemperature(ensemble.rows, truth, clip.info.logitScale);
  return {
    scenes: scenes.length,
    shapeSingleTemplate: single.hits / scenes.length,
    shapeEnsemble: ensemble.hits / scenes.length,
    ece: expectedCalibrationError(ensemble.rows, truth, clip.info.logitScale),
    eceCalibrated: expectedCalibrationError(ensemble.rows, truth, clip.info.logitScale / temperature),
    temperature,
  };
}

/** CLIPScore of each held-out scene's true caption against the same caption with another shape. */
export async function captionScoringTrials(
  clip: ClipPort,
  options: { scenes: number; seed: number },
): Promise<CaptionScoringResult> {
  const scenes = await heldOutScenes(clip, options.scenes, options.seed);
  const items = scenes.flatMap(({ scene, bytes }, i) => {
    const truth = canonicalCaption(scene);
    const shape = scene.objects[0]!.shape;
    const other = SHAPES[(SHAPES.indexOf(shape) + 1 + (i % (SHAPES.length - 1))) % SHAPES.length]!;
    const altered = canonicalCaption({ ...scene, objects: [{ ...scene.objects[0]!, shape: other }] });
    return [
      { image: bytes, caption: truth },
      { image: bytes, caption: altered },
    ];
  });
  const scores = await scoreCaptions(clip, items);
  let wins = 0;
  let trueSum = 0;
  let alteredSum = 0;
  for (let i = 0; i < scenes.length; i++) {
    const [t, a] = [scores[2 * i]!, scores[2 * i + 1]!];
    if (t.similarity > a.similarity) wins++;
    trueSum += t.clipScore;
    alteredSum += a.clipScore;
  }
  return {
    pairs: scenes.length,
    trueOverAltered: wins / scenes.length,
    meanClipScoreTrue: trueSum / scenes.length,
    meanClipScoreAltered: alteredSum / scenes.length,
  };
}

/** ECE over 10 confidence bins of the top class's softmax probability. */
function expectedCalibrationError(rows: number[][], truth: number[], scale: number): number {
  const bins = Array.from({ length: 10 }, () => ({ n: 0, confidence: 0, correct: 0 }));
  rows.forEach((row, i) => {
    const probabilities = softmax(row.map((s) => s * scale));
    const p = Math.max(...probabilities);
    const top = probabilities.indexOf(p);
    const bin = bins[Math.min(9, Math.floor(p * 10))]!;
    bin.n++;
    bin.confidence += p;
    bin.correct += top === truth[i] ? 1 : 0;
  });
  return bins.reduce(
    (sum, b) => sum + (b.n === 0 ? 0 : (b.n / rows.length) * Math.abs(b.confidence / b.n - b.correct / b.n)),
    0,
  );
}
