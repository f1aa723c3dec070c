"""Zero-shot evaluation on held-out scenes: each test picks the best of all its label texts.

The label texts (LABELS below) are the contract with the TypeScript evaluation: same texts, same model,
same answers.
"""

from __future__ import annotations

import numpy as np
import torch

from . import vocab as V
from .data import Dataset, NONE
from .model import Clip, normalize

# Label templates, one text per class. {a_x} is the value with its article ("an orange", "a red").
LABELS = {
    'colour': 'a photo of {a_colour} object',  # over the 11 colours, for the (single) object's colour
    'shape': 'a photo of {a_shape}',  # over the 8 shapes
    'background': 'an object on {a_background} background',  # over the 11 colours
    'style': '{a_style} picture',  # over the 9 styles
    # over every single-object scene (colour != background): 11 * 10 * 8 * 9 = 7920 captions
    'canonical': '{a_colour_shape} on {a_background} background, {style}',
    # two objects, scene order; against the same text with the two colours swapped
    'binding': '{a_colour1_shape1} and {a_colour2_shape2}',
}
# Styles that keep colours: in grayscale and sepia pictures red, blue, purple and brown are one grey.
COLOUR_BLIND_STYLES = {V.STYLES.index('grayscale'), V.STYLES.index('sepia')}

MEAN = [0.48145466, 0.4578275, 0.40821073]
STD = [0.26862954, 0.26130258, 0.27577711]


def colour_labels() -> list[str]:
    return [LABELS['colour'].format(a_colour=V.an(c)) for c in V.COLOURS]


def shape_labels() -> list[str]:
    return [LABELS['shape'].format(a_shape=V.an(s)) for s in V.SHAPES]


def background_labels() -> list[str]:
    return [LABELS['background'].format(a_background=V.an(c)) for c in V.COLOURS]


def style_labels() -> list[str]:
    return [LABELS['style'].format(a_style=V.an(s)) for s in V.STYLES]


def canonical_caption(colour: int, shape: int, background: int, style: int) -> str:
    return LABELS['canonical'].format(
        a_colour_shape=V.an(f'{V.COLOURS[colour]} {V.SHAPES[shape]}'),
        a_background=V.an(V.COLOURS[background]),
        style=V.STYLES[style],
    )


def canonical_labels() -> tuple[list[str], np.ndarray]:
    texts, keys = [], []
    for c in range(len(V.COLOURS)):
        for s in range(len(V.SHAPES)):
            for b in range(len(V.COLOURS)):
                if b == c:
                    continue
                for st in range(len(V.STYLES)):
                    texts.append(canonical_caption(c, s, b, st))
                    keys.append((c, s, b, st))
    return texts, np.array(keys)


def binding_caption(c1: int, s1: int, c2: int, s2: int) -> str:
    return LABELS['binding'].format(
        a_colour1_shape1=V.an(f'{V.COLOURS[c1]} {V.SHAPES[s1]}'),
        a_colour2_shape2=V.an(f'{V.COLOURS[c2]} {V.SHAPES[s2]}'),
    )


def pixel_values(images: np.ndarray | torch.Tensor) -> torch.Tensor:
    """uint8 [B, S, S, 3] -> normalised float [B, 3, S, S], as CLIPImageProcessor makes them."""
    x = torch.as_tensor(images).permute(0, 3, 1, 2).float() / 255.0
    return normalize_pixels(x)


def normalize_pixels(x: torch.Tensor) -> torch.Tensor:
    return (x - torch.tensor(MEAN, device=x.device)[:, None, None]) / torch.tensor(STD, device=x.device)[:, None, None]


def device_of(model: Clip) -> torch.device:
    return next(model.parameters()).device


@torch.no_grad()
def embed_images(model: Clip, images: np.ndarray, batch: int = 500) -> torch.Tensor:
    """Normalised embeddings, on the CPU whatever the model's device."""
    device = device_of(model)
    out = [model.image(pixel_values(images[i : i + batch]).to(device)).float().cpu() for i in range(0, len(images), batch)]
    return normalize(torch.cat(out))


@torch.no_grad()
def embed_texts(model: Clip, texts: list[str], batch: int = 1000) -> torch.Tensor:
    from .data import pad_ids

    out = []
    for i in range(0, len(texts), batch):
        ids = pad_ids([V.encode(t) for t in texts[i : i + batch]]).to(device_of(model))
        out.append(model.text(ids).float().cpu())
    return normalize(torch.cat(out))


def accuracy(hits: np.ndarray, where: np.ndarray | None = None) -> float:
    if where is not None:
        hits = hits[where]
    return float(hits.mean()) if len(hits) else float('nan')


@torch.no_grad()
def zero_shot(model: Clip, data: Dataset, limit_single: int | None = None, limit_two: int | None = None) -> dict:
    was_training = model.training
    model.eval()
    scenes = data.scenes
    single = np.flatnonzero(scenes[:, 0] == 1)[:limit_single]
    two = np.flatnonzero(scenes[:, 0] == 2)[:limit_two]
    result: dict = {'n_single': len(single), 'n_two': len(two)}

    img = embed_images(model, data.images[single])
    sc = scenes[single]
    chromatic = ~np.isin(sc[:, 6], list(COLOUR_BLIND_STYLES))

    def classify(labels: list[str], truth: np.ndarray) -> np.ndarray:
        sims = img @ embed_texts(model, labels).T
        return (sims.argmax(1).numpy() == truth)

    colour = classify(colour_labels(), sc[:, 1])
    shape = classify(shape_labels(), sc[:, 3])
    background = classify(background_labels(), sc[:, 5])
    style = classify(style_labels(), sc[:, 6])
    texts, keys = canonical_labels()
    best = (img @ embed_texts(model, texts).T).argmax(1).numpy()
    canonical = (keys[best] == sc[:, [1, 3, 5, 6]]).all(1)
    result.update(
        colour=accuracy(colour, chromatic),
        colour_all_styles=accuracy(colour),
        shape=accuracy(shape),
        background=accuracy(background, chromatic),
        background_all_styles=accuracy(background),
        style=accuracy(style),
        canonical=accuracy(canonical, chromatic),
        canonical_all_styles=accuracy(canonical),
    )

    # Binding: the caption against the same caption with the two colours swapped.
    sc2 = scenes[two]
    usable = (sc2[:, 1] != sc2[:, 2]) & (sc2[:, 3] != sc2[:, 4])
    sc2, two = sc2[usable], two[usable]
    img2 = embed_images(model, data.images[two])
    right = [binding_caption(r[1], r[3], r[2], r[4]) for r in sc2]
    swapped = [binding_caption(r[2], r[3], r[1], r[4]) for r in sc2]
    right_sim = (img2 * embed_texts(model, right)).sum(1)
    swapped_sim = (img2 * embed_texts(model, swapped)).sum(1)
    binding = (right_sim > swapped_sim).numpy()
    chromatic2 = ~np.isin(sc2[:, 6], list(COLOUR_BLIND_STYLES))
    # Relation: "a red circle to the left of a blue square" against "... to the right of ...".
    rel_right = [relation_caption(r, r[7]) for r in sc2]
    rel_wrong = [relation_caption(r, V.INVERSE_RELATION[r[7]]) for r in sc2]
    relation = ((img2 * embed_texts(model, rel_right)).sum(1) > (img2 * embed_texts(model, rel_wrong)).sum(1)).numpy()
    result.update(
        n_binding=int(len(two)),
        binding=accuracy(binding, chromatic2),
        binding_all_styles=accuracy(binding),
        relation=accuracy(relation),
    )
    model.train(was_training)
    return result


def relation_caption(r: np.ndarray, relation: int) -> str:
    assert relation != NONE
    first = V.an(f'{V.COLOURS[r[1]]} {V.SHAPES[r[3]]}')
    second = V.an(f'{V.COLOURS[r[2]]} {V.SHAPES[r[4]]}')
    phrase = ['to the left of', 'to the right of', 'above', 'below'][relation]
    return f'{first} {phrase} {second}'


def format_result(r: dict) -> str:
    keys = ['colour', 'background', 'shape', 'style', 'canonical', 'binding', 'relation']
    return ' '.join(f'{k}={100 * r[k]:.1f}' for k in keys)
