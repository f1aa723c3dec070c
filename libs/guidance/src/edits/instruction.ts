import { GuidanceError } from '../errors.js';
import { NAMED_COLOURS } from './colour-names.js';

/** What an edit instruction means to CLIP, and where the search should look first. */
export interface InstructionTexts {
  /** Describes the image before the edit; the other end of the text direction. */
  sourceText: string;
  /** Describes the image after it. */
  targetText: string;
  /** Operators that do what it asks, most likely first: tried and chosen first (empty: any operator). */
  operators: readonly string[];
  /** The colour colour operators paint with (a name from NAMED_COLOURS), or null. */
  colour: string | null;
  /** The rule that matched: a style rule's name, `recolour`, or `fallback`. */
  rule: string;
  /** The part of the picture the instruction names ("square", "background"), or null for the whole picture. */
  part: string | null;
}

export interface TextOverrides {
  sourceText?: string | undefined;
  targetText?: string | undefined;
}

interface StyleRule {
  name: string;
  /** Tried against the lower-cased instruction. */
  pattern: RegExp;
  source: string;
  target: string;
  operators: readonly string[];
  colour?: string;
}

/*
 * Whole-image instructions, first match wins, so specific phrasings sit above general ones ("blur the
 * background" above "blur"). Texts use the words CLIP captions use: the bundled model knows "grayscale",
 * "sepia", "blurred", "pixelated", "noisy" and their opposite "plain", and reads "black and white" as two
 * colours. The source names the unstyled picture: from "a picture" (any style) to "a blurred picture" the
 * bundled model sees no direction at all; from "a plain picture" it sees the style.
 */
const STYLE_RULES: readonly StyleRule[] = [
  {
    name: 'grayscale',
    pattern:
      /\bblack[\s-]*(?:and|&|n)[\s-]*white\b|\bb\s*&\s*w\b|\bgr[ae]y\s*scale\b|\bmonochrome\b|\bno colou?rs?\b|\bcolou?rless\b|\bremove (?:the |all )?colou?rs?\b/,
    source: 'a plain photo',
    target: 'a grayscale photo',
    operators: ['grayscale', 'saturation'],
  },
  {
    name: 'sepia',
    pattern: /\bsepia\b|\bvintage\b|\bold[\s-]fashioned\b|\bantique\b/,
    source: 'a plain picture',
    target: 'a sepia picture',
    operators: ['sepia', 'tint', 'warmth', 'grayscale'],
    colour: 'brown',
  },
  {
    name: 'background-blur',
    pattern:
      /\bblur(?:red|ry)?\s+(?:out\s+)?(?:the\s+)?background\b|\bbackground\s+(?:blur|out of focus)|\bbokeh\b/,
    source: 'a plain picture',
    target: 'a picture with a blurred background',
    operators: ['vignette-blur', 'blur'],
  },
  {
    name: 'blur',
    pattern: /\bblur|\bout of focus\b|\bunfocused\b|\bdefocus|\bsoft(?:en|er)\b|\bhazy\b/,
    source: 'a plain picture',
    target: 'a blurred picture',
    operators: ['blur'],
  },
  {
    name: 'sharpen',
    pattern: /\bsharp(?:en|er)?\b|\bcrisp(?:er)?\b|\bmore detail|\bin focus\b/,
    source: 'a plain picture',
    target: 'a sharp, detailed picture',
    operators: ['sharpen', 'contrast'],
  },
  {
    name: 'pixelate',
    pattern:
      /\bpix(?:el|ellated|elated|elate|elise|elize|elized|elised|elly|els)\b|\b8[\s-]?bit\b|\bmosaic\b|\bblocky\b|\blow[\s-]res/,
    source: 'a plain picture',
    target: 'a pixelated picture',
    operators: ['pixelate', 'posterize'],
  },
  {
    name: 'noise',
    pattern: /\bnois(?:e|y|ier)\b|\bgrain(?:y|ier)?\b|\bstatic\b/,
    source: 'a plain picture',
    target: 'a noisy picture',
    operators: ['noise'],
  },
  {
    name: 'invert',
    pattern: /\binver(?:t|ted|se)\b|\bnegative\b/,
    source: 'a plain picture',
    target: 'an inverted picture',
    operators: ['invert', 'hue'],
  },
  {
    name: 'posterize',
    pattern: /\bposteri[sz]e|\bposter\b|\bcartoon|\bcomic\b|\bfewer colou?rs\b/,
    source: 'a plain picture',
    target: 'a posterized picture',
    operators: ['posterize', 'contrast'],
  },
  {
    name: 'warmer',
    pattern: /\bwarm(?:er|th)?\b|\bgolden\b|\bsunset\b|\bcosier\b/,
    source: 'a plain picture',
    target: 'a warm picture',
    operators: ['warmth', 'tint', 'hue'],
    colour: 'orange',
  },
  {
    name: 'cooler',
    pattern: /\bcool(?:er)?\b|\bcold(?:er)?\b|\bicy\b|\bchilly\b/,
    source: 'a plain picture',
    target: 'a cool picture',
    operators: ['warmth', 'tint', 'hue'],
    colour: 'blue',
  },
  {
    name: 'less-contrast',
    pattern:
      /\b(?:less|lower|reduce|decrease|softer)\s+(?:the\s+)?contrast\b|\bwashed[\s-]out\b|\bfaded\b|\bflatter\b/,
    source: 'a plain picture',
    target: 'a low contrast picture',
    operators: ['contrast', 'gamma'],
  },
  {
    name: 'more-contrast',
    pattern: /\bcontrast|\bpunchier\b/,
    source: 'a plain picture',
    target: 'a high contrast picture',
    operators: ['contrast', 'gamma', 'saturation'],
  },
  {
    name: 'less-saturated',
    pattern:
      /\bdesaturat|\b(?:less|lower|reduce)\s+(?:the\s+)?saturat(?:ed|ion)\b|\bmuted\b|\bdull(?:er)?\b|\bpastel\b/,
    source: 'a plain picture',
    target: 'a muted picture',
    operators: ['saturation', 'grayscale'],
  },
  {
    name: 'more-saturated',
    pattern: /\bsaturat|\bvivid|\bvibrant\b|\bcolou?rful\b|\b(?:boost|more)\s+(?:the\s+)?colou?rs?\b/,
    source: 'a plain picture',
    target: 'a vivid, colourful picture',
    operators: ['saturation', 'contrast'],
  },
  {
    name: 'brighter',
    pattern: /\bbright(?:er|en)?\b|\blight(?:er|en)\b|\bmore light\b/,
    source: 'a plain picture',
    target: 'a bright picture',
    operators: ['brightness', 'gamma', 'contrast'],
  },
  {
    name: 'darker',
    pattern: /\bdark(?:er|en)?\b|\bdimmer\b|\bdim\b|\bless light\b/,
    source: 'a plain picture',
    target: 'a dark picture',
    operators: ['brightness', 'gamma'],
  },
];

const COLOUR_WORDS = [...NAMED_COLOURS.keys()].join('|');

/**
 * "make the circle green", "turn it red", "paint the square in blue", "change the colour of the star to
 * pink", "make the background more yellow": a verb, an optional subject, a colour at the end.
 */
const RECOLOUR = new RegExp(
  '^(?:make|turn|paint|colou?r|change|recolou?r|dye|set|tint)\\s+' +
    '(?:the\\s+colou?r\\s+of\\s+)?(?<subject>.*?)\\s*' +
    '(?:\\b(?:to\\s+be|to|into|in)\\s+)?(?:(?:a\\s+)?(?:more|bright|light|dark)\\s+)?' +
    `\\b(?<colour>${COLOUR_WORDS})(?:\\s+colou?r(?:ed)?)?$`,
);

/** A subject holding a colour word or ending in a conjunction belongs to a style ("black and white"). */
const NOT_A_SUBJECT = new RegExp(`\\b(?:${COLOUR_WORDS})\\b|(?:\\band|&)$`);

/** Subjects that mean the whole picture. */
const WHOLE_PICTURE = /^(?:|it|this|that|everything|all|the whole thing|image|picture|photo)$/;

/** Prepositions that end a subject's head noun phrase: "circle on the left" has head "circle". */
const PREPOSITION = /^(?:on|in|at|of|with|near|by|behind|above|below|under|over|to)$/;

/**
 * Reads an instruction into a source and a target text for directional similarity. Recolouring comes
 * first (a colour word after the verb wins over "bright" or "dark"), then the style rules, then the fallback
 * `a picture` → `a picture, <instruction>`. Explicit texts override what the rules say.
 */
export function parseInstruction(instruction: string, overrides: TextOverrides = {}): InstructionTexts {
  if (typeof instruction !== 'string' || instruction.trim() === '') {
    throw new GuidanceError('BAD_INSTRUCTION', 'an edit instruction must be a non-empty string');
  }
  const parsed = readRules(instruction);
  return {
    ...parsed,
    sourceText: nonEmpty(overrides.sourceText) ?? parsed.sourceText,
    targetText: nonEmpty(overrides.targetText) ?? parsed.targetText,
  };
}

function nonEmpty(text: string | undefined): string | undefined {
  return text?.trim() ? text.trim() : undefined;
}

function readRules(instruction: string): InstructionTexts {
  const text = instruction
    .toLowerCase()
    .replace(/[^a-z0-9#&\s-]+/g, ' ')
    .replace(/\bplease\b|\bcan you\b|\bcould you\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const recolour = RECOLOUR.exec(text)?.groups;
  const subject = recolour?.['subject']!.replace(/^(?:the|this|that|its|a|an)\s+/, '');
  // "make it black and white" is not a recolour of "it black and".
  if (recolour && subject !== undefined && !NOT_A_SUBJECT.test(subject)) {
    const colour = recolour['colour']!;
    const noun = WHOLE_PICTURE.test(subject) ? 'picture' : subject;
    return {
      sourceText: withArticle(noun),
      targetText: withArticle(insertBeforeHead(noun, colour)),
      operators: ['recolour', 'hue', 'tint'],
      colour,
      rule: 'recolour',
      part: noun === 'picture' ? null : noun,
    };
  }
  const style = STYLE_RULES.find((r) => r.pattern.test(text));
  if (style) {
    return {
      sourceText: style.source,
      targetText: style.target,
      operators: style.operators,
      colour: style.colour ?? null,
      rule: style.name,
      part: null,
    };
  }
  return {
    sourceText: 'a picture',
    targetText: `a picture, ${instruction.trim()}`,
    operators: [],
    colour: null,
    rule: 'fallback',
    part: null,
  };
}

/** "big circle on the left" + green → "big green circle on the left". */
function insertBeforeHead(phrase: string, word: string): string {
  const words = phrase.split(' ');
  const end = words.findIndex((w, i) => i > 0 && PREPOSITION.test(w));
  const head = end === -1 ? words.length - 1 : end - 1;
  words.splice(head, 0, word);
  return words.join(' ');
}

function withArticle(phrase: string): string {
  return (/^[aeiou]/.test(phrase) ? 'an ' : 'a ') + phrase;
}
