"""Datasets written by tools/dataset/make-dataset.ts, the captions a batch is trained on, hard negatives,
which captions are true of which scenes, and image augmentation."""

from __future__ import annotations

import json
import os
import random

import numpy as np
import torch
import torch.nn.functional as F

from . import vocab as V

# A scene as ints: [objects, colour0, colour1, shape0, shape1, background, style, relation]; -9 = none.
SCENE_FIELDS = 8
# A caption's spec: [objects, colour0, colour1, shape0, shape1, background, style, relation]; -1 = any.
NONE = -9


class Dataset:
    """images: uint8 [N, S, S, 3] in memory; scenes: int64 [N, 8]; captions: the dataset's caption texts.
    `path` may list several folders rendered with the same options and other seeds ("a,b,c": shards
    rendered side by side), read as one dataset."""

    def __init__(self, path: str, limit: int | None = None):
        parts = [read_part(p, limit) for p in path.split(',')]
        self.meta = parts[0][0]
        for meta, _, _ in parts[1:]:
            if meta['heldOut'] != self.meta['heldOut'] or meta['imageSize'] != self.meta['imageSize']:
                raise ValueError(f'{path}: the folders differ in image size or held-out combinations')
        self.images = parts[0][1] if len(parts) == 1 else np.concatenate([images for _, images, _ in parts])
        self.records = [r for _, _, records in parts for r in records][:limit]
        self.images = self.images[: len(self.records)]
        self.size = self.images.shape[1]
        self.scenes = np.array([scene_ints(r['scene']) for r in self.records], dtype=np.int64)

    def __len__(self) -> int:
        return len(self.records)


def read_part(path: str, limit: int | None) -> tuple[dict, np.ndarray, list[dict]]:
    with open(os.path.join(path, 'meta.json'), encoding='utf-8') as f:
        meta = json.load(f)
    vocabulary = meta['vocabulary']
    if (vocabulary['colours'], vocabulary['shapes'], vocabulary['styles'], vocabulary['relations']) != (
        V.COLOURS,
        V.SHAPES,
        V.STYLES,
        V.RELATIONS,
    ):
        raise ValueError(f'{path}: the vocabulary differs from clipsmith_clip/vocab.py')
    n, h, w, c = meta['images']['shape']
    if limit is not None:
        n = min(n, limit)
    raw = np.fromfile(os.path.join(path, 'images.u8'), dtype=np.uint8, count=n * h * w * c)
    records = []
    with open(os.path.join(path, 'captions.jsonl'), encoding='utf-8') as f:
        for line in f:
            if len(records) >= n:
                break
            records.append(slim(json.loads(line)))
    if len(records) != n:
        raise ValueError(f'{path}: {len(records)} caption lines for {n} images')
    return meta, raw.reshape(n, h, w, c), records


def slim(record: dict) -> dict:
    """What training needs of a caption line (a fifth of the memory of the whole line)."""
    scene = record['scene']
    return {
        'captions': record['captions'],
        'canonical': record['canonical'],
        'scene': {
            'background': scene['background'],
            'style': scene['style'],
            'objects': [{'colour': o['colour'], 'shape': o['shape']} for o in scene['objects']],
            'relation': scene.get('relation'),
        },
    }


def scene_ints(scene: dict) -> list[int]:
    objects = scene['objects']
    colours = [V.COLOURS.index(o['colour']) for o in objects] + [NONE] * (2 - len(objects))
    shapes = [V.SHAPES.index(o['shape']) for o in objects] + [NONE] * (2 - len(objects))
    relation = V.RELATIONS.index(scene['relation']) if scene.get('relation') else NONE
    return [
        len(objects),
        *colours,
        *shapes,
        V.COLOURS.index(scene['background']),
        V.STYLES.index(scene['style']),
        relation,
    ]


class Caption:
    """A tokenized, parsed caption. pos: sequence index (start token = 0) of each attribute's token."""

    __slots__ = ('text', 'ids', 'spec', 'pos')

    def __init__(self, text: str):
        self.text = text
        tokens = V.pre_tokens(text)
        self.ids = V.encode(text)
        s = V.parse(tokens)
        k = len(s.shapes)
        pad = lambda values: (values + [-1, -1])[:2]  # noqa: E731
        self.spec = [k, *pad(s.colours), *pad(s.shapes), s.background, s.style, s.relation]
        shift = lambda p: p + 1 if 0 <= p < V.MODEL_MAX_LENGTH - 2 else -1  # noqa: E731
        self.pos = [
            *[shift(p) for p in pad(s.colour_pos)],
            *[shift(p) for p in pad(s.shape_pos)],
            shift(s.background_pos),
            shift(s.style_pos),
            shift(s.relation_pos),
        ]


class CaptionBank:
    """Interns captions: each distinct text is tokenized and parsed once."""

    def __init__(self):
        self.index: dict[str, int] = {}
        self.captions: list[Caption] = []

    def get(self, text: str) -> Caption:
        i = self.index.get(text)
        if i is None:
            i = self.index[text] = len(self.captions)
            self.captions.append(Caption(text))
        return self.captions[i]


# ---------------------------------------------------------------------------------------------------------
# Captions this tool adds to the dataset's own: partial descriptions ("a red object", "a striped picture")
# that zero-shot classification prompts are made of. Each is true of its scene; shape-less objects are
# written "object"/"something", which the parser reads as an object of any shape.

RELATION_PHRASE = ['to the left of', 'to the right of', 'above', 'below']

ONE_OBJECT_TEMPLATES = [
    '{a_c} object',
    'a photo of {a_c} object',
    'something {c}',
    '{a_s}',
    'a photo of {a_s}',
    '{a_cs}',
    'an object on {a_b} background',
    'something on {a_b} backdrop',
    '{a_st} picture',
    '{a_st} image',
    '{a_c} object on {a_b} background',
    '{a_s} on {a_b} background',
    '{a_st} picture of {a_c} object',
    '{a_st} picture of {a_s}',
    '{a_st} picture of {a_cs}',
    '{a_cs}, {st}',
]
# Shapes are the slowest thing to learn (colour and background tell most pictures of a batch apart), so
# captions that name the shape are drawn twice as often.
ONE_OBJECT_WEIGHTS = [2.0 if '{a_s}' in t or '{a_cs}' in t else 1.0 for t in ONE_OBJECT_TEMPLATES]

TWO_OBJECT_TEMPLATES = [
    '{a_c1} object and {a_c2} object',
    '{a_s1} and {a_s2}',
    '{a_c1s1} and {a_c2s2}',
    '{a_c1} object {rel} {a_c2} object',
    '{a_s1} {rel} {a_s2}',
    '{a_c1s1} {rel} {a_c2s2}',
    '{a_st} picture of {a_c1s1} and {a_c2s2}',
    '{a_c1s1} and {a_c2s2} on {a_b} background',
]


def generic_caption(scene: dict, rng: random.Random) -> str:
    objects = scene['objects']
    b, st = scene['background'], scene['style']
    if len(objects) == 2 and rng.random() < 0.6:
        first, second = objects
        relation = V.RELATIONS.index(scene['relation'])
        if rng.random() < 0.5:  # name them the other way round, with the inverse relation
            first, second, relation = second, first, V.INVERSE_RELATION[relation]
        template = rng.choice(TWO_OBJECT_TEMPLATES)
        return template.format(
            a_c1=V.an(first['colour']),
            a_c2=V.an(second['colour']),
            a_s1=V.an(first['shape']),
            a_s2=V.an(second['shape']),
            a_c1s1=V.an(f"{first['colour']} {first['shape']}"),
            a_c2s2=V.an(f"{second['colour']} {second['shape']}"),
            rel=RELATION_PHRASE[relation],
            a_b=V.an(b),
            a_st=V.an(st),
        )
    o = rng.choice(objects)
    template = rng.choices(ONE_OBJECT_TEMPLATES, weights=ONE_OBJECT_WEIGHTS)[0]
    return template.format(
        c=o['colour'],
        a_c=V.an(o['colour']),
        a_s=V.an(o['shape']),
        a_cs=V.an(f"{o['colour']} {o['shape']}"),
        a_b=V.an(b),
        st=st,
        a_st=V.an(st),
    )


# ---------------------------------------------------------------------------------------------------------
# Hard negatives (NegCLIP): the positive caption with one thing made false, by swapping token ids.

NEGATIVE_WEIGHTS_TWO = {
    'swap_colours': 3.0,
    'swap_shapes': 1.0,
    'flip_relation': 2.0,
    'colour': 0.7,
    'shape': 0.7,
    'background': 0.3,
    'style': 0.3,
}
NEGATIVE_WEIGHTS_ONE = {'colour': 0.8, 'shape': 2.0, 'background': 0.5, 'style': 1.0}
COLOUR_IDS = [V.VOCAB[c] for c in V.COLOURS]
SHAPE_IDS = [V.VOCAB[s] for s in V.SHAPES]
STYLE_IDS = [V.VOCAB[s] for s in V.STYLES]
RELATION_IDS = [V.VOCAB[w] for w in V.RELATION_WORD]


class Forbidden:
    """The held-out pairs (meta.json heldOut) as ints. Training text must never name one, not even in a
    hard negative: a pair seen only in false captions is learnt to be false, which is the opposite of
    composition (it sank binding on held-out scenes to 17% before this check)."""

    def __init__(self, held_out: dict):
        self.colour_shape = {(V.COLOURS.index(c), V.SHAPES.index(s)) for c, s in held_out['colourShape']}
        self.colour_background = {(V.COLOURS.index(c), V.COLOURS.index(b)) for c, b in held_out['colourBackground']}

    def names_one(self, spec: list[int]) -> bool:
        for j in range(spec[0]):
            colour, shape = spec[1 + j], spec[3 + j]
            if (colour, shape) in self.colour_shape or (colour, spec[5]) in self.colour_background:
                return True
        return False


def hard_negative(
    caption: Caption, rng: random.Random, forbidden: Forbidden | None = None, tries: int = 8
) -> tuple[list[int], list[int]] | None:
    """(ids, spec) of a caption that differs from `caption` in one attribute or one binding, and names no
    forbidden pair."""
    for _ in range(tries):
        negative = mutate(caption, rng)
        if negative is None or forbidden is None or not forbidden.names_one(negative[1]):
            return negative
    return None


def mutate(caption: Caption, rng: random.Random) -> tuple[list[int], list[int]] | None:
    spec, pos = caption.spec, caption.pos
    k = spec[0]
    options = []
    if k == 2:
        # A swap changes the meaning only if something else tells the two objects apart.
        shapes_differ = spec[3] >= 0 and spec[4] >= 0 and spec[3] != spec[4]
        colours_differ = spec[1] >= 0 and spec[2] >= 0 and spec[1] != spec[2]
        ordered = spec[7] >= 0
        if pos[0] > 0 and pos[1] > 0 and colours_differ and (shapes_differ or ordered):
            options.append('swap_colours')
        if pos[2] > 0 and pos[3] > 0 and shapes_differ and (colours_differ or ordered):
            options.append('swap_shapes')
        if pos[6] > 0:
            options.append('flip_relation')
    if pos[0] > 0 or pos[1] > 0:
        options.append('colour')
    if (pos[2] > 0 and spec[3] >= 0) or (pos[3] > 0 and spec[4] >= 0):
        options.append('shape')
    if pos[4] > 0:
        options.append('background')
    if pos[5] > 0:
        options.append('style')
    if not options:
        return None
    weights = NEGATIVE_WEIGHTS_TWO if k == 2 else NEGATIVE_WEIGHTS_ONE
    kind = rng.choices(options, weights=[weights.get(o, 1.0) for o in options])[0]
    ids, spec = list(caption.ids), list(spec)
    if kind == 'swap_colours':
        ids[pos[0]], ids[pos[1]] = ids[pos[1]], ids[pos[0]]
        spec[1], spec[2] = spec[2], spec[1]
    elif kind == 'swap_shapes':
        ids[pos[2]], ids[pos[3]] = ids[pos[3]], ids[pos[2]]
        spec[3], spec[4] = spec[4], spec[3]
    elif kind == 'flip_relation':
        spec[7] = V.INVERSE_RELATION[spec[7]]
        ids[pos[6]] = RELATION_IDS[spec[7]]
    elif kind == 'colour':
        j = rng.choice([j for j in (0, 1) if pos[j] > 0])
        spec[1 + j] = rng.choice([c for c in range(len(V.COLOURS)) if c != spec[1 + j]])
        ids[pos[j]] = COLOUR_IDS[spec[1 + j]]
    elif kind == 'shape':
        j = rng.choice([j for j in (0, 1) if pos[2 + j] > 0 and spec[3 + j] >= 0])
        spec[3 + j] = rng.choice([s for s in range(len(V.SHAPES)) if s != spec[3 + j]])
        ids[pos[2 + j]] = SHAPE_IDS[spec[3 + j]]
    elif kind == 'background':
        spec[5] = rng.choice([c for c in range(len(V.COLOURS)) if c != spec[5]])
        ids[pos[4]] = COLOUR_IDS[spec[5]]
    else:
        spec[6] = rng.choice([s for s in range(len(V.STYLES)) if s != spec[6]])
        ids[pos[5]] = STYLE_IDS[spec[6]]
    fix_articles(ids)
    return ids, spec


A_ID, AN_ID = V.VOCAB['a'], V.VOCAB['an']
STARTS_WITH_VOWEL = {i for w, i in V.VOCAB.items() if w[0] in 'aeiou'}


def fix_articles(ids: list[int]) -> None:
    """'a orange' -> 'an orange' after a swap, so a negative is never told apart by its grammar."""
    for p in range(1, len(ids) - 1):
        if ids[p] in (A_ID, AN_ID):
            ids[p] = AN_ID if ids[p + 1] in STARTS_WITH_VOWEL else A_ID


# ---------------------------------------------------------------------------------------------------------


def consistent(scenes: torch.Tensor, specs: torch.Tensor) -> torch.Tensor:
    """[B, T] bool: whether caption spec t is true of scene b (as far as the caption says anything)."""
    s = scenes[:, None, :]
    c = specs[None, :, :]
    any_or = lambda want, have: (want == -1) | (want == have)  # noqa: E731
    style_ok = any_or(c[..., 6], s[..., 6])
    background_ok = any_or(c[..., 5], s[..., 5])

    def match(req: int, obj: int) -> torch.Tensor:  # requested object req is scene object obj
        return (s[..., 0] > obj) & any_or(c[..., 1 + req], s[..., 1 + obj]) & any_or(c[..., 3 + req], s[..., 3 + obj])

    k = c[..., 0]
    relation, want_relation = s[..., 7], c[..., 7]
    inverse = torch.tensor(V.INVERSE_RELATION + [NONE] * 20)[relation.clamp(min=0)]
    inverse = torch.where(relation >= 0, inverse, torch.full_like(relation, NONE))
    same_order = match(0, 0) & match(1, 1) & ((want_relation == -1) | (want_relation == relation))
    swapped = match(0, 1) & match(1, 0) & ((want_relation == -1) | (want_relation == inverse))
    objects_ok = torch.where(
        k == 0,
        torch.ones_like(style_ok),
        torch.where(k == 1, match(0, 0) | match(0, 1), (s[..., 0] == 2) & (same_order | swapped)),
    )
    return objects_ok & style_ok & background_ok


def pad_ids(rows: list[list[int]]) -> torch.Tensor:
    length = max(len(r) for r in rows)
    out = torch.full((len(rows), length), V.EOS_ID, dtype=torch.long)
    for i, r in enumerate(rows):
        out[i, : len(r)] = torch.tensor(r, dtype=torch.long)
    return out


class BatchMaker:
    """Draws captions for a batch of images, adds hard negatives and the false-negative mask."""

    def __init__(self, dataset: Dataset, bank: CaptionBank, seed: int, generic_fraction: float, negatives: bool):
        self.dataset, self.bank = dataset, bank
        self.rng = random.Random(seed)
        self.generic_fraction = generic_fraction
        self.negatives = negatives
        self.forbidden = Forbidden(dataset.meta['heldOut'])

    def captions_for(self, indices: np.ndarray):
        records = self.dataset.records
        positives: list[Caption] = []
        for i in indices:
            record = records[int(i)]
            if self.rng.random() < self.generic_fraction:
                text = generic_caption(record['scene'], self.rng)
            else:
                text = self.rng.choice(record['captions'])
            positives.append(self.bank.get(text))
        rows = [c.ids for c in positives]
        specs = [c.spec for c in positives]
        negative_of = [-1] * len(positives)  # column of each image's own hard negative
        if self.negatives:
            for i, c in enumerate(positives):
                negative = hard_negative(c, self.rng, self.forbidden)
                if negative is not None:
                    negative_of[i] = len(rows)
                    rows.append(negative[0])
                    specs.append(negative[1])
        return pad_ids(rows), torch.tensor(specs, dtype=torch.long), torch.tensor(negative_of)


# ---------------------------------------------------------------------------------------------------------
# Augmentation, in torch on a uint8 batch: whole-pixel shifts, a few zooms, mild colour jitter and light
# noise. Three styles are told apart by their edges alone (plain: sharp, blurred: soft, pixelated: stepped),
# so nothing here softens edges where that matters: shifts copy pixels exactly, zooms (which resample)
# only touch styles defined by something else, and there is no blur. A first version with bilinear shifts
# and zooms on 70% of pictures and a light blur on 10% confused plain, blurred and pixelated (style 74%
# after 3000 steps, most errors among those three), and blunted hexagons into circles.

ZOOMABLE = {V.STYLES.index(s) for s in ('striped', 'dotted', 'outlined', 'noisy', 'grayscale', 'sepia')}


def augment(images: torch.Tensor, styles: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """uint8 [B, S, S, 3] -> float [B, 3, S, S] in [0, 1], on the device of `images` (and of `gen`)."""
    x = images.permute(0, 3, 1, 2).float().div_(255.0)
    b, size, device = x.shape[0], x.shape[-1], x.device
    u = lambda *shape: torch.rand(*shape, generator=gen, device=device)  # noqa: E731
    # Shift by -3..3 whole pixels on 70% of pictures (nearest sampling at pixel centres: an exact copy,
    # the border repeated); zoom x0.9-1.1 (bilinear) on 15% of the pictures whose style allows it.
    pixels = torch.randint(-3, 4, (b, 2), generator=gen, device=device).float()
    pixels = torch.where((u(b) < 0.7)[:, None], pixels, torch.zeros_like(pixels))
    zoom = (u(b) < 0.15) & torch.isin(styles, torch.tensor(sorted(ZOOMABLE), device=device))
    scale = torch.where(zoom, 0.9 + 0.2 * u(b), torch.ones(b, device=device))
    theta = torch.zeros(b, 2, 3, device=device)
    theta[:, 0, 0] = scale
    theta[:, 1, 1] = scale
    theta[:, :, 2] = pixels * (2.0 / size)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    out = F.grid_sample(x, grid, mode='nearest', padding_mode='border', align_corners=False)
    if zoom.any():
        out[zoom] = F.grid_sample(x[zoom], grid[zoom], mode='bilinear', padding_mode='border', align_corners=False)
    # Colour: brightness x0.93-1.07, per-channel gain x0.97-1.03, offset +-0.02.
    brightness = 0.93 + 0.14 * u(b, 1, 1, 1)
    gain = 0.97 + 0.06 * u(b, 3, 1, 1)
    offset = (u(b, 3, 1, 1) * 2 - 1) * 0.02
    out = out * brightness * gain + offset
    # Gaussian noise, sigma up to 1.5% (4 levels; the noisy style adds up to 60), on 25% of pictures.
    sigma = torch.where(u(b) < 0.25, u(b) * 0.015, torch.zeros(b, device=device))
    out = out + torch.randn(out.shape, generator=gen, device=device) * sigma[:, None, None, None]
    return out.clamp_(0.0, 1.0)


class Sampler:
    """Batches of image indices: part drawn at random (an epoch-wise permutation), part in groups of
    pictures that only a harder distinction tells apart (hard negatives on the image side):
      - single-object pictures sharing object colour and background: told apart by shape and style;
      - two-object pictures of the same two colours and the same two shapes: told apart by which colour
        goes with which shape, where they are, background and style."""

    def __init__(self, scenes: np.ndarray, batch: int, group_size: int, grouped_fraction: float, seed: int):
        self.rng = np.random.default_rng(seed)
        self.n = len(scenes)
        self.batch = batch
        self.group_size = group_size
        groups = int(round(batch * grouped_fraction / group_size)) if group_size > 1 else 0
        self.groups = [groups - groups // 2, groups // 2]  # single-object groups, two-object groups
        single = np.flatnonzero(scenes[:, 0] == 1)
        two = np.flatnonzero((scenes[:, 0] == 2) & (scenes[:, 1] != scenes[:, 2]) & (scenes[:, 3] != scenes[:, 4]))
        c, sh = np.sort(scenes[two][:, 1:3], 1), np.sort(scenes[two][:, 3:5], 1)
        self.by_key = [
            self.group(single, scenes[single, 1] * 100 + scenes[single, 5]),
            self.group(two, ((c[:, 0] * 100 + c[:, 1]) * 100 + sh[:, 0]) * 100 + sh[:, 1]),
        ]
        self.perm, self.cursor = self.rng.permutation(self.n), 0

    def group(self, indices: np.ndarray, keys: np.ndarray) -> list[np.ndarray]:
        order = np.argsort(keys, kind='stable')
        indices, keys = indices[order], keys[order]
        bounds = np.flatnonzero(np.diff(keys)) + 1
        return [g for g in np.split(indices, bounds) if len(g) >= self.group_size]

    def next(self) -> np.ndarray:
        randoms = self.batch - sum(self.groups) * self.group_size
        if self.cursor + randoms > self.n:
            self.perm, self.cursor = self.rng.permutation(self.n), 0
        picked = [self.perm[self.cursor : self.cursor + randoms]]
        self.cursor += randoms
        for by_key, count in zip(self.by_key, self.groups):
            for g in self.rng.integers(0, len(by_key), count):
                members = by_key[g]
                picked.append(members[self.rng.choice(len(members), self.group_size, replace=False)])
        return np.concatenate(picked)
