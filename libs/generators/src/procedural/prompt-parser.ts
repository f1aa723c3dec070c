import type { ObjectRequest, SceneRequest } from './scene.js';
import { type Colour, COLOURS, type Relation, type Shape, SHAPES, type Style, STYLES } from './vocabulary.js';

type Token =
  | { kind: 'colour'; value: Colour }
  | { kind: 'shape'; value: Shape }
  | { kind: 'style'; value: Style }
  | { kind: 'relation'; value: Relation }
  | { kind: 'background' };

/** Every word the parser knows; all others ("a", "photo", "watercolour") are skipped. */
const LEXICON: ReadonlyMap<string, Token> = new Map<string, Token>([
  ...COLOURS.map((c): [string, Token] => [c, { kind: 'colour', value: c }]),
  ['grey', { kind: 'colour', value: 'gray' }],
  ...SHAPES.map((s): [string, Token] => [s, { kind: 'shape', value: s }]),
  ['rhombus', { kind: 'shape', value: 'diamond' }],
  ['plus', { kind: 'shape', value: 'cross' }],
  ...STYLES.map((s): [string, Token] => [s, { kind: 'style', value: s }]),
  ...synonyms('style', 'plain', ['solid', 'flat']),
  ...synonyms('style', 'striped', ['stripe', 'stripy']),
  ...synonyms('style', 'dotted', ['dot', 'spotted', 'spot', 'polka']),
  ...synonyms('style', 'outlined', ['outline', 'hollow']),
  ...synonyms('style', 'blurred', ['blurry', 'blur']),
  ...synonyms('style', 'noisy', ['noise', 'grainy']),
  ...synonyms('style', 'grayscale', ['greyscale', 'monochrome']),
  ...synonyms('style', 'pixelated', ['pixellated', 'pixelized', 'pixel']),
  ['left', { kind: 'relation', value: 'left of' }],
  ['right', { kind: 'relation', value: 'right of' }],
  ...synonyms('relation', 'above', ['above', 'over', 'top']),
  ...synonyms('relation', 'below', ['below', 'under', 'beneath', 'underneath']),
  ['background', { kind: 'background' }],
  ['backdrop', { kind: 'background' }],
]);

function synonyms<K extends 'style' | 'relation'>(
  kind: K,
  value: Extract<Token, { kind: K }>['value'],
  words: readonly string[],
): [string, Token][] {
  return words.map((w) => [w, { kind, value } as Token]);
}

/** Looks a word up as written, then without a plural ending ("crosses", "circles", "dots"). */
function lookUp(word: string): Token | undefined {
  return (
    LEXICON.get(word) ??
    (word.endsWith('es') ? LEXICON.get(word.slice(0, -2)) : undefined) ??
    (word.endsWith('s') ? LEXICON.get(word.slice(0, -1)) : undefined)
  );
}

function tokenize(prompt: string): Token[] {
  return (prompt.toLowerCase().match(/[a-z]+/g) ?? []).flatMap((w) => lookUp(w) ?? []);
}

/**
 * Reads a free-form prompt into what it asks for: up to two objects, a background, a style and a relation
 * ("a green star above a yellow heart on a white background, blurred"). A colour binds to the next shape or
 * background word; one left over binds backwards ("a circle in red"). A relation counts only between the
 * first and second object. Unknown words are ignored, so an empty or foreign prompt asks for nothing.
 */
export function parsePrompt(prompt: string): SceneRequest {
  const objects: ObjectRequest[] = [];
  let background: Colour | undefined;
  let style: Style | undefined;
  let relation: Relation | undefined;
  // A relation word counts only once a second object follows it ("a circle on the left" has none).
  let pendingRelation: Relation | undefined;
  let pending: Colour | undefined;
  // Set by "background" with no colour before it: "on a background of blue".
  let backgroundAwaitsColour = false;

  // A colour no shape claimed binds to the object before it, or at a clause's end stands alone ("red").
  const bindBackwards = (standAlone: boolean): void => {
    const last = objects.at(-1);
    if (pending && last && !last.colour) last.colour = pending;
    else if (pending && !last && standAlone) objects.push({ colour: pending });
    pending = undefined;
  };

  const tokens = tokenize(prompt);
  tokens.forEach((token, i) => {
    switch (token.kind) {
      case 'colour':
        if (backgroundAwaitsColour && tokens[i + 1]?.kind !== 'shape') {
          background = token.value;
          backgroundAwaitsColour = false;
        } else {
          bindBackwards(false);
          pending = token.value;
        }
        break;
      case 'shape':
        if (objects.length < 2) {
          objects.push(pending ? { colour: pending, shape: token.value } : { shape: token.value });
          if (objects.length === 2) relation = pendingRelation;
        }
        pending = undefined;
        backgroundAwaitsColour = false;
        break;
      case 'background':
        if (pending) background = pending;
        backgroundAwaitsColour = !pending;
        pending = undefined;
        break;
      case 'style':
        style = token.value;
        break;
      case 'relation':
        bindBackwards(true);
        if (objects.length === 1) pendingRelation ??= token.value;
        break;
    }
  });
  bindBackwards(true);
  return {
    objects,
    ...(background && { background }),
    ...(style && { style }),
    ...(relation && { relation }),
  };
}
