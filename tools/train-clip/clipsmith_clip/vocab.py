"""The closed world of procedural scenes, its tokenizer and a port of the caption parser.

The vocabulary mirrors libs/generators/src/procedural/vocabulary.ts; load_dataset checks it against each
dataset's meta.json, so a change there fails loudly here.

The tokenizer is a word-level one that @huggingface/tokenizers (the JS library clipsmith's engine uses)
loads from tokenizer.json. `encode` below reproduces, step for step, what that library does with
`encode(text, {add_special_tokens: false})` followed by the engine's wrapping (libs/clip/src/tokenizer.ts);
tools/train-clip/check-tokenizer.mjs compares the two on thousands of texts.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

COLOURS = ['red', 'green', 'blue', 'yellow', 'orange', 'purple', 'pink', 'brown', 'black', 'white', 'gray']
SHAPES = ['circle', 'square', 'triangle', 'star', 'hexagon', 'diamond', 'cross', 'heart']
STYLES = ['plain', 'striped', 'dotted', 'outlined', 'blurred', 'noisy', 'grayscale', 'sepia', 'pixelated']
RELATIONS = ['left of', 'right of', 'above', 'below']
INVERSE_RELATION = [1, 0, 3, 2]
# Words captions use for each relation (captions.ts RELATION_PHRASES): the one word that names it.
RELATION_WORD = ['left', 'right', 'above', 'below']

BOS, EOS, UNK = '<|startoftext|>', '<|endoftext|>', '<|unk|>'
SPECIALS = [BOS, EOS, UNK]
MODEL_MAX_LENGTH = 32

# Every word the dataset's captions (captions.ts) and this tool's extra captions are made of.
FUNCTION_WORDS = [
    'a', 'an', 'the', 'of', 'on', 'to', 'and', 'with', 'against', 'but', 'nothing', 'empty', 'in',
    'photo', 'picture', 'image', 'drawing', 'background', 'backdrop', 'object', 'something',
]  # fmt: skip
PUNCTUATION = [',', '.']
WORDS = FUNCTION_WORDS + RELATION_WORD + COLOURS + SHAPES + STYLES + PUNCTUATION

# Spellings that share the id of the word they mean (the prompt parser's synonyms and plurals): the model
# never saw them in training, but reads them exactly as the word it did see.
ALIASES = {
    'grey': 'gray',
    'greyscale': 'grayscale',
    'monochrome': 'grayscale',
    'rhombus': 'diamond',
    'circles': 'circle',
    'squares': 'square',
    'triangles': 'triangle',
    'stars': 'star',
    'hexagons': 'hexagon',
    'diamonds': 'diamond',
    'crosses': 'cross',
    'hearts': 'heart',
    'objects': 'object',
    'blurry': 'blurred',
    'pixellated': 'pixelated',
    'pixelized': 'pixelated',
    'spotted': 'dotted',
    'stripy': 'striped',
    'grainy': 'noisy',
    'over': 'above',
    'under': 'below',
    'beneath': 'below',
    'underneath': 'below',
    'photograph': 'photo',
}


def build_vocab() -> dict[str, int]:
    vocab = {token: i for i, token in enumerate(SPECIALS)}
    for word in WORDS:
        assert word not in vocab, word
        vocab[word] = len(vocab)
    for alias, word in ALIASES.items():
        assert alias not in vocab, alias
        vocab[alias] = vocab[word]
    return vocab


VOCAB = build_vocab()
VOCAB_SIZE = max(VOCAB.values()) + 1
BOS_ID, EOS_ID, UNK_ID = VOCAB[BOS], VOCAB[EOS], VOCAB[UNK]
ID_TO_WORD = {i: w for w, i in reversed(list(VOCAB.items()))}  # the canonical word wins over its aliases

# JavaScript's \s (ECMAScript WhiteSpace + LineTerminator) and its non-unicode \w, so the Python
# pre-tokenizer splits exactly as `/\w+|[^\w\s]+/g` does in the JS library's Whitespace pre-tokenizer.
_JS_SPACE = '\t\n\x0b\x0c\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff'
_PRE_TOKEN = re.compile('[A-Za-z0-9_]+|[^A-Za-z0-9_' + _JS_SPACE + ']+')
_SPECIAL_SPLIT = re.compile('(' + '|'.join(re.escape(s) for s in sorted(SPECIALS, key=len, reverse=True)) + ')')


def pre_tokens(text: str) -> list[str]:
    """The tokens the JS library hands its model for `text` (special tokens kept whole)."""
    out: list[str] = []
    for section in _SPECIAL_SPLIT.split(text):
        if not section:
            continue
        if section in SPECIALS:
            out.append(section)
            continue
        lowered = section.lower()
        if lowered in SPECIALS:  # the JS library matches a whole normalised section against them too
            out.append(lowered)
        else:
            out.extend(_PRE_TOKEN.findall(lowered))
    return out


def encode(text: str, max_length: int = MODEL_MAX_LENGTH) -> list[int]:
    """Ids as the engine builds them: start token, body truncated to max_length - 2, end token."""
    body = [VOCAB.get(t, UNK_ID) for t in pre_tokens(text)]
    return [BOS_ID, *body[: max_length - 2], EOS_ID]


def tokenizer_json() -> dict:
    """tokenizer.json in the Hugging Face format: WordLevel model, Lowercase, Whitespace pre-tokenizer."""
    return {
        'version': '1.0',
        'truncation': None,
        'padding': None,
        'added_tokens': [
            {
                'id': VOCAB[s],
                'content': s,
                'single_word': False,
                'lstrip': False,
                'rstrip': False,
                'normalized': False,
                'special': True,
            }
            for s in SPECIALS
        ],
        'normalizer': {'type': 'Lowercase'},
        'pre_tokenizer': {'type': 'Whitespace'},
        'post_processor': {
            'type': 'TemplateProcessing',
            'single': [
                {'SpecialToken': {'id': BOS, 'type_id': 0}},
                {'Sequence': {'id': 'A', 'type_id': 0}},
                {'SpecialToken': {'id': EOS, 'type_id': 0}},
            ],
            'pair': [
                {'SpecialToken': {'id': BOS, 'type_id': 0}},
                {'Sequence': {'id': 'A', 'type_id': 0}},
                {'Sequence': {'id': 'B', 'type_id': 1}},
                {'SpecialToken': {'id': EOS, 'type_id': 0}},
            ],
            'special_tokens': {
                BOS: {'id': BOS, 'ids': [BOS_ID], 'tokens': [BOS]},
                EOS: {'id': EOS, 'ids': [EOS_ID], 'tokens': [EOS]},
            },
        },
        'decoder': None,
        'model': {'type': 'WordLevel', 'vocab': VOCAB, 'unk_token': UNK},
    }


def tokenizer_config_json() -> dict:
    return {
        'tokenizer_class': 'PreTrainedTokenizerFast',
        'bos_token': BOS,
        'eos_token': EOS,
        'pad_token': EOS,
        'unk_token': UNK,
        'model_max_length': MODEL_MAX_LENGTH,
        'do_lower_case': True,
        'clean_up_tokenization_spaces': False,
    }


# ---------------------------------------------------------------------------------------------------------
# Caption parser: a port of parsePrompt (libs/generators/src/procedural/prompt-parser.ts) that also records
# which token carries each attribute, so hard negatives can be made by swapping token ids.

_LEXICON: dict[str, tuple[str, int]] = {}
for _i, _c in enumerate(COLOURS):
    _LEXICON[_c] = ('colour', _i)
_LEXICON['grey'] = ('colour', COLOURS.index('gray'))
for _i, _s in enumerate(SHAPES):
    _LEXICON[_s] = ('shape', _i)
_LEXICON['rhombus'] = ('shape', SHAPES.index('diamond'))
_LEXICON['plus'] = ('shape', SHAPES.index('cross'))
for _i, _s in enumerate(STYLES):
    _LEXICON[_s] = ('style', _i)
for _style, _words in {
    'plain': ['solid', 'flat'],
    'striped': ['stripe', 'stripy'],
    'dotted': ['dot', 'spotted', 'spot', 'polka'],
    'outlined': ['outline', 'hollow'],
    'blurred': ['blurry', 'blur'],
    'noisy': ['noise', 'grainy'],
    'grayscale': ['greyscale', 'monochrome'],
    'pixelated': ['pixellated', 'pixelized', 'pixel'],
}.items():
    for _w in _words:
        _LEXICON[_w] = ('style', STYLES.index(_style))
_LEXICON['left'] = ('relation', 0)
_LEXICON['right'] = ('relation', 1)
for _w in ['above', 'over', 'top']:
    _LEXICON[_w] = ('relation', 2)
for _w in ['below', 'under', 'beneath', 'underneath']:
    _LEXICON[_w] = ('relation', 3)
_LEXICON['background'] = ('background', 0)
_LEXICON['backdrop'] = ('background', 0)
# Beyond parsePrompt: words that stand for an object of any shape ("a red object to the left of a blue
# object"), so this tool's own generic captions parse into objects too. Dataset captions never use them.
for _w in ['object', 'something', 'shape', 'thing']:
    _LEXICON[_w] = ('shape', -1)


def _look_up(word: str):
    hit = _LEXICON.get(word)
    if hit is None and word.endswith('es'):
        hit = _LEXICON.get(word[:-2])
    if hit is None and word.endswith('s'):
        hit = _LEXICON.get(word[:-1])
    return hit


@dataclass
class Spec:
    """What a caption says, as parsePrompt reads it; -1 is unspecified. *_pos: token index in the body."""

    colours: list[int] = field(default_factory=list)
    shapes: list[int] = field(default_factory=list)
    colour_pos: list[int] = field(default_factory=list)
    shape_pos: list[int] = field(default_factory=list)
    background: int = -1
    background_pos: int = -1
    style: int = -1
    style_pos: int = -1
    relation: int = -1
    relation_pos: int = -1


def parse(tokens: list[str]) -> Spec:
    """parsePrompt over pre-tokens. Only whole [a-z]+ tokens count as words, which for captions (words,
    spaces, commas) reads exactly what parsePrompt reads."""
    words = [(i, t) for i, t in enumerate(tokens) if re.fullmatch('[a-z]+', t)]
    hits = [(i, h) for i, t in words if (h := _look_up(t)) is not None]
    spec = Spec()
    pending: tuple[int, int] | None = None  # (colour, pos)
    pending_relation: tuple[int, int] | None = None
    background_awaits_colour = False

    def add_object(colour: tuple[int, int] | None, shape: tuple[int, int] | None) -> None:
        spec.colours.append(colour[0] if colour else -1)
        spec.colour_pos.append(colour[1] if colour else -1)
        spec.shapes.append(shape[0] if shape else -1)
        spec.shape_pos.append(shape[1] if shape else -1)

    def bind_backwards(stand_alone: bool) -> None:
        nonlocal pending
        if pending and spec.colours and spec.colours[-1] == -1:
            spec.colours[-1], spec.colour_pos[-1] = pending
        elif pending and not spec.colours and stand_alone:
            add_object(pending, None)
        pending = None

    for k, (pos, (kind, value)) in enumerate(hits):
        if kind == 'colour':
            following = hits[k + 1][1][0] if k + 1 < len(hits) else None
            if background_awaits_colour and following != 'shape':
                spec.background, spec.background_pos = value, pos
                background_awaits_colour = False
            else:
                bind_backwards(False)
                pending = (value, pos)
        elif kind == 'shape':
            if len(spec.shapes) < 2:
                add_object(pending, (value, pos))
                if len(spec.shapes) == 2 and pending_relation:
                    spec.relation, spec.relation_pos = pending_relation
            pending = None
            background_awaits_colour = False
        elif kind == 'background':
            if pending:
                spec.background, spec.background_pos = pending
            background_awaits_colour = not pending
            pending = None
        elif kind == 'style':
            spec.style, spec.style_pos = value, pos
        elif kind == 'relation':
            bind_backwards(True)
            if len(spec.shapes) == 1 and pending_relation is None:
                pending_relation = (value, pos)
    bind_backwards(True)
    return spec


def an(phrase: str) -> str:
    return ('an ' if phrase[0] in 'aeiou' else 'a ') + phrase


def write_json(path: str, value: dict) -> None:
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(value, f, indent=2, ensure_ascii=False)
        f.write('\n')
