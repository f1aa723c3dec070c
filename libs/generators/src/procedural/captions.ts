import type { Random } from './random.js';
import type { Scene } from './scene.js';
import { COLOUR_RGB, COLOURS, INVERSE_RELATION, type Relation, SHAPES, STYLES } from './vocabulary.js';

/** How many captions captionsFor gives each scene. */
export const CAPTIONS_PER_SCENE = 6;

const RELATION_PHRASES: Readonly<Record<Relation, string>> = {
  'left of': 'to the left of',
  'right of': 'to the right of',
  above: 'above',
  below: 'below',
};

/** The words a caption is built from; the relation is phrased both ways round. */
interface Parts {
  first: string;
  second: string;
  relation: string;
  inverse: string;
  background: string;
  style: string;
}

type Template = (p: Parts) => string;

/*
 * Paraphrases per scene kind. Each names a subset of the scene in words parsePrompt reads back, so no
 * caption ever contradicts its image; a spec checks that over many scenes.
 */
const EMPTY_TEMPLATES: readonly Template[] = [
  (p) => `${a(p.background)} background, ${p.style}`,
  (p) => `an empty ${p.background} background`,
  (p) => `${a(p.style)} ${p.background} backdrop`,
  (p) => `a photo of ${a(p.background)} background`,
  (p) => `nothing but ${a(p.background)} backdrop, ${p.style}`,
  (p) => `${a(p.style)} image of ${a(p.background)} background`,
];

const ONE_OBJECT_TEMPLATES: readonly Template[] = [
  (p) => `${a(p.first)} on ${a(p.background)} background, ${p.style}`,
  (p) => `${a(p.first)} on ${a(p.background)} background`,
  (p) => `a photo of ${a(p.first)}`,
  (p) => `${p.first}, ${p.background} backdrop, ${p.style}`,
  (p) => `${a(p.style)} ${p.first}`,
  (p) => `${a(p.style)} ${p.first} on ${a(p.background)} background`,
  (p) => `an image of ${a(p.first)} against ${a(p.background)} backdrop`,
  (p) => `${a(p.background)} background with ${a(p.first)}`,
  (p) => `${a(p.style)} picture of ${a(p.first)}`,
  (p) => `a drawing of ${a(p.first)}, ${p.style}`,
];

const TWO_OBJECT_TEMPLATES: readonly Template[] = [
  (p) => `${a(p.first)} ${p.relation} ${a(p.second)} on ${a(p.background)} background, ${p.style}`,
  (p) => `${a(p.first)} ${p.relation} ${a(p.second)}`,
  (p) => `${a(p.second)} ${p.inverse} ${a(p.first)}`,
  (p) => `${a(p.first)} ${p.relation} ${a(p.second)} on ${a(p.background)} background`,
  (p) => `${a(p.first)} and ${a(p.second)}`,
  (p) => `${a(p.first)} and ${a(p.second)} on ${a(p.background)} backdrop, ${p.style}`,
  (p) => `${p.first} ${p.relation} ${p.second}, ${p.background} background, ${p.style}`,
  (p) => `${a(p.style)} picture of ${a(p.second)} ${p.inverse} ${a(p.first)}`,
  (p) => `a photo of ${a(p.first)} ${p.relation} ${a(p.second)}`,
  (p) => `${a(p.background)} background with ${a(p.first)} ${p.relation} ${a(p.second)}`,
];

function templatesFor(scene: Scene): readonly Template[] {
  if (scene.objects.length === 0) return EMPTY_TEMPLATES;
  return scene.objects.length === 1 ? ONE_OBJECT_TEMPLATES : TWO_OBJECT_TEMPLATES;
}

function partsOf(scene: Scene): Parts {
  const relation = scene.relation ?? 'left of';
  const [first, second] = scene.objects.map((o) => `${o.colour} ${o.shape}`);
  return {
    first: first ?? '',
    second: second ?? '',
    relation: RELATION_PHRASES[relation],
    inverse: RELATION_PHRASES[INVERSE_RELATION[relation]],
    background: scene.background,
    style: scene.style,
  };
}

/**
 * One fixed caption naming every attribute ("a red circle to the left of a blue square on a white
 * background, striped"), for zero-shot evaluation: parsePrompt reads the whole scene back from it.
 */
export function canonicalCaption(scene: Scene): string {
  return templatesFor(scene)[0]!(partsOf(scene));
}

/** CAPTIONS_PER_SCENE different captions of the scene, drawn from its paraphrase templates. */
export function captionsFor(scene: Scene, rng: Random): string[] {
  const parts = partsOf(scene);
  const all = templatesFor(scene).map((template) => template(parts));
  return rng.shuffle(all).slice(0, CAPTIONS_PER_SCENE);
}

/** "a red circle", "an orange star", "an outlined red circle". */
function a(phrase: string): string {
  return (/^[aeiou]/.test(phrase) ? 'an ' : 'a ') + phrase;
}

/**
 * The canonical caption of every one-object scene of the procedural world (each colour, shape, other
 * background colour and style): a caption corpus for captioning by retrieval with the bundled model.
 */
export function singleObjectCaptions(): string[] {
  const captions: string[] = [];
  for (const colour of COLOURS) {
    for (const shape of SHAPES) {
      for (const background of COLOURS.filter((c) => c !== colour)) {
        for (const style of STYLES) {
          const object = { colour, rgb: COLOUR_RGB[colour], shape, x: 0.5, y: 0.5, size: 0.5, rotation: 0 };
          const scene: Scene = {
            seed: 0,
            background,
            backgroundRgb: COLOUR_RGB[background],
            style,
            objects: [object],
            relation: null,
          };
          captions.push(canonicalCaption(scene));
        }
      }
    }
  }
  return captions;
}
