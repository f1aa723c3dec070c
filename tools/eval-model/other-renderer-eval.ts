import { type ClipEngine, dot } from '#clip';
import { procedural } from '#generators';
import { CSS_COLOURS, drawScene, SHAPE_TESTS } from './other-renderer.js';
import { LABELS } from './zero-shot-eval.js';

const { Random, deriveSeed } = procedural;

export interface OtherRendererResult {
  scenes: number;
  colour: number;
  shape: number;
}

/** Colour and shape accuracy on scenes drawn by the independent rasterizer (plain style). */
export async function evaluateOtherRenderer(
  engine: ClipEngine,
  options: { scenes: number; seed: number },
): Promise<OtherRendererResult> {
  const colours = Object.keys(CSS_COLOURS);
  const shapes = Object.keys(SHAPE_TESTS);
  const drawn = Array.from({ length: options.scenes }, (_, i) => {
    const rng = new Random(deriveSeed(options.seed + 7, i));
    const colour = colours[rng.int(0, colours.length - 1)]!;
    const others = colours.filter((c) => c !== colour);
    const background = others[rng.int(0, others.length - 1)]!;
    const radius = rng.range(0.18, 0.34);
    return drawScene(128, shapes[rng.int(0, shapes.length - 1)]!, colour, background, {
      cx: rng.range(radius + 0.02, 1 - radius - 0.02),
      cy: rng.range(radius + 0.02, 1 - radius - 0.02),
      radius,
      rotation: rng.range(-0.3, 0.3),
    });
  });
  const images = await engine.embedImages(drawn.map((d) => ({ rgb: d.image })));
  const [colourTexts, shapeTexts] = await Promise.all([
    engine.embedTexts(colours.map(LABELS.colour)),
    engine.embedTexts(shapes.map(LABELS.shape)),
  ]);
  const best = (image: Float32Array, texts: Float32Array[]): number =>
    texts.reduce((b, t, i) => (dot(image, t) > dot(image, texts[b]!) ? i : b), 0);
  let colourHits = 0;
  let shapeHits = 0;
  drawn.forEach((d, i) => {
    if (colours[best(images[i]!, colourTexts)] === d.colour) colourHits++;
    if (shapes[best(images[i]!, shapeTexts)] === d.shape) shapeHits++;
  });
  return { scenes: drawn.length, colour: colourHits / drawn.length, shape: shapeHits / drawn.length };
}
