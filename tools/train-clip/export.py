"""Exports a checkpoint of train.py to the Hugging Face ONNX layout clipsmith's engine loads, and checks it.

    /usr/bin/python3 tools/train-clip/export.py --checkpoint CKPT --out models/clipsmith-scenes \
        [--verify --heldout DIR --work DIR]

Writes config.json, preprocessor_config.json, tokenizer.json, tokenizer_config.json, onnx/text_model.onnx
and onnx/vision_model.onnx. With --verify it then runs, from the repository root:
  - node tools/train-clip/check-tokenizer.mjs: the JS tokenizer gives the Python ids on ~2,000 texts;
  - the engine's CLI (`npm run cli -- embed`) on held-out images (as PNG) and texts: the ONNX embeddings
    as the engine computes them must match torch's (cosine > 0.9999), texts alone and padded in a batch.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from clipsmith_clip import vocab as V  # noqa: E402
from clipsmith_clip.data import CaptionBank, Dataset, generic_caption, hard_negative  # noqa: E402
from clipsmith_clip.evaluate import (  # noqa: E402
    MEAN,
    STD,
    background_labels,
    canonical_labels,
    colour_labels,
    embed_texts,
    pixel_values,
    shape_labels,
    style_labels,
)
from clipsmith_clip.model import Clip, ModelConfig  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
OPSET = 14


class TextModel(torch.nn.Module):
    def __init__(self, clip: Clip):
        super().__init__()
        self.text = clip.text

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        return self.text(input_ids)


class VisionModel(torch.nn.Module):
    def __init__(self, clip: Clip):
        super().__init__()
        self.image = clip.image

    def forward(self, pixel_values: torch.Tensor) -> torch.Tensor:
        return self.image(pixel_values)


def load_checkpoint(path: str) -> tuple[Clip, dict]:
    """A checkpoint.npz written by train.py: numpy arrays and a JSON header, so that one trained with
    another torch (a GPU machine's) exports with this one."""
    with np.load(path) as z:
        checkpoint = json.loads(str(z['__meta__']))
        checkpoint['model'] = {k: torch.from_numpy(z[k]) for k in z.files if k != '__meta__'}
    if checkpoint['vocab'] != V.VOCAB:
        raise ValueError(f'{path} was trained with another vocabulary than clipsmith_clip/vocab.py has now')
    config = dict(checkpoint['config'])
    # Checkpoints from before these options existed had neither.
    config.setdefault('head', 'flatten')
    config.setdefault('coords', False)
    model = Clip(ModelConfig(**config))
    model.load_state_dict(checkpoint['model'])
    model.eval()
    return model, checkpoint


def model_config_json(model: Clip, checkpoint: dict) -> dict:
    cfg = model.cfg
    args = checkpoint['args']
    return {
        'model_type': 'clip',
        'projection_dim': cfg.embed_dim,
        'clipsmith_logit_scale': float(model.scale()),
        'logit_scale_init_value': 2.6592,
        'text_config': {
            'model_type': 'clip_text_model',
            'architecture': 'causal transformer, pre-LN, pooled at the first end token',
            'vocab_size': cfg.vocab_size,
            'hidden_size': cfg.text_width,
            'intermediate_size': 4 * cfg.text_width,
            'num_hidden_layers': cfg.text_layers,
            'num_attention_heads': cfg.text_heads,
            'max_position_embeddings': cfg.context_length,
            'hidden_act': 'gelu',
            'projection_dim': cfg.embed_dim,
            'bos_token_id': V.BOS_ID,
            'eos_token_id': V.EOS_ID,
            'pad_token_id': V.EOS_ID,
        },
        'vision_config': {
            'model_type': 'clipsmith_cnn',
            'architecture': ('x/y coordinate channels added to the input, ' if cfg.coords else '')
            + 'residual CNN (3x3 conv + BatchNorm + ReLU), strided stages, then '
            + (
                'global average + 2x2 grid of averages of the last feature map'
                if cfg.head == 'pool'
                else 'the last feature map flattened'
            )
            + ', LayerNorm, linear projection',
            'head': cfg.head,
            'coord_channels': cfg.coords,
            'image_size': cfg.image_size,
            'num_channels': 3,
            'stem_width': cfg.stem_width,
            'stem_stride': cfg.stem_stride,
            'stage_widths': cfg.widths,
            'stage_strides': cfg.strides,
            'stage_blocks': cfg.blocks,
            'projection_dim': cfg.embed_dim,
        },
        'clipsmith_training': {
            'tool': 'tools/train-clip (see its README.md)',
            'train_dataset': args['train'],
            'steps': checkpoint['step'],
            'batch_size': args['batch'],
            'seed': args['seed'],
            'hard_negatives': not args['no_negatives'],
            'train_minutes': round(checkpoint['train_seconds'] / 60, 1),
        },
    }


def preprocessor_config_json(size: int) -> dict:
    return {
        'image_processor_type': 'CLIPImageProcessor',
        'do_resize': True,
        'size': {'shortest_edge': size},
        'do_center_crop': True,
        'crop_size': {'height': size, 'width': size},
        'resample': 3,
        'do_rescale': True,
        'rescale_factor': 1 / 255,
        'do_normalize': True,
        'image_mean': MEAN,
        'image_std': STD,
        'do_convert_rgb': True,
    }


def export(model: Clip, checkpoint: dict, out: str) -> None:
    os.makedirs(os.path.join(out, 'onnx'), exist_ok=True)
    V.write_json(os.path.join(out, 'config.json'), model_config_json(model, checkpoint))
    V.write_json(os.path.join(out, 'preprocessor_config.json'), preprocessor_config_json(model.cfg.image_size))
    V.write_json(os.path.join(out, 'tokenizer.json'), V.tokenizer_json())
    V.write_json(os.path.join(out, 'tokenizer_config.json'), V.tokenizer_config_json())
    from clipsmith_clip.data import pad_ids

    ids = pad_ids([V.encode('a red circle on a blue background, striped'), V.encode('a red circle')])
    torch.onnx.export(
        TextModel(model).eval(),
        (ids,),
        os.path.join(out, 'onnx', 'text_model.onnx'),
        input_names=['input_ids'],
        output_names=['text_embeds'],
        dynamic_axes={'input_ids': {0: 'batch_size', 1: 'sequence_length'}, 'text_embeds': {0: 'batch_size'}},
        opset_version=OPSET,
        do_constant_folding=True,
    )
    size = model.cfg.image_size
    torch.onnx.export(
        VisionModel(model).eval(),
        (torch.randn(2, 3, size, size),),
        os.path.join(out, 'onnx', 'vision_model.onnx'),
        input_names=['pixel_values'],
        output_names=['image_embeds'],
        dynamic_axes={'pixel_values': {0: 'batch_size'}, 'image_embeds': {0: 'batch_size'}},
        opset_version=OPSET,
        do_constant_folding=True,
    )
    model.eval()  # torch.onnx.export restores the wrappers' mode, which reaches the towers
    import onnx

    for name in ['text_model.onnx', 'vision_model.onnx']:
        onnx.checker.check_model(onnx.load(os.path.join(out, 'onnx', name)))
    total = sum(os.path.getsize(os.path.join(root, f)) for root, _, files in os.walk(out) for f in files)
    print(f'exported to {out}: {total / 1e6:.1f} MB')


def tokenizer_cases(heldout: Dataset, rng: random.Random) -> list[str]:
    texts = colour_labels() + shape_labels() + background_labels() + style_labels()
    texts += rng.sample(canonical_labels()[0], 300)
    for record in rng.sample(heldout.records, 300):
        texts += record['captions'][:2]
        texts.append(generic_caption(record['scene'], rng))
    bank = CaptionBank()
    for text in list(texts[-600:]):
        negative = hard_negative(bank.get(text), rng)
        if negative is not None:
            texts.append(' '.join(V.ID_TO_WORD[i] for i in negative[0][1:-1]))
    texts += [
        '',
        ' ',
        'A RED Circle',
        '  a   red\tcircle \n on a BLUE background ',
        'a red circle.',
        'a red circle!!',
        'red,blue;green:gray',
        'grey circles and greyscale rhombus',
        "a cat's photo",
        'the 3 red circles',
        'naïve café über straße',
        'ÀÉÎÕÜ',
        'İstanbul ΣΟΦΙΑ',
        'emoji 🎨 circle 🔴',
        '<|startoftext|>a red circle<|endoftext|>',
        'a<|endoftext|>b <|unk|> c',
        '<|ENDOFTEXT|>',
        'a_b snake_case red_circle',
        'tab\tseparated\u00a0nbsp\u2003em\u3000ideographic\ufeffbom',
        'line\u2028separator\u0085nel\u001ffs',
        'zero\u200bwidth',
        'a red circle ' * 20,
        'red ' * 40,
    ]
    return texts


def verify(model: Clip, out: str, heldout: Dataset, work: str) -> None:
    from PIL import Image

    os.makedirs(work, exist_ok=True)
    rng = random.Random(0)
    # 1. Tokenizer: Python ids against the JS library's.
    cases = [{'text': t, 'ids': V.encode(t)} for t in tokenizer_cases(heldout, rng)]
    cases_path = os.path.join(work, 'tokenizer-cases.json')
    with open(cases_path, 'w', encoding='utf-8') as f:
        json.dump(cases, f, ensure_ascii=False)
    subprocess.run(['node', 'tools/train-clip/check-tokenizer.mjs', out, cases_path], cwd=REPO, check=True)

    # 2. Embeddings through the engine's CLI against torch, one text or image at a time.
    picks = rng.sample(range(len(heldout)), 24)
    image_paths = []
    for i in picks:
        path = os.path.join(work, f'heldout-{i:05d}.png')
        Image.fromarray(heldout.images[i]).save(path)
        image_paths.append(os.path.abspath(path))
    texts = [heldout.records[i]['canonical'] for i in picks] + colour_labels() + ['a', 'a red circle ' * 20]
    with torch.no_grad():
        torch_images = torch.nn.functional.normalize(model.image(pixel_values(heldout.images[picks])), dim=-1)
    torch_texts = torch.cat([embed_texts(model, [t]) for t in texts])
    texts_path = os.path.join(work, 'texts.txt')
    images_path = os.path.join(work, 'images.txt')
    with open(texts_path, 'w', encoding='utf-8') as f:
        f.write('\n'.join(texts) + '\n')
    with open(images_path, 'w', encoding='utf-8') as f:
        f.write('\n'.join(image_paths) + '\n')
    command = ['npm', 'run', '--silent', 'cli', '--', 'embed', '--model', os.path.abspath(out)]
    command += ['--texts-from', os.path.abspath(texts_path), '--images-from', os.path.abspath(images_path)]
    rows = json.loads(subprocess.run(command, cwd=REPO, check=True, capture_output=True, text=True).stdout)
    engine_images = torch.tensor([r['embedding'] for r in rows if r['kind'] == 'image'])
    engine_texts = torch.tensor([r['embedding'] for r in rows if r['kind'] == 'text'])
    image_cos = (engine_images * torch_images).sum(1)
    text_cos = (engine_texts * torch_texts).sum(1)
    print(
        json.dumps(
            {
                'images': len(image_cos),
                'min_image_cosine': float(image_cos.min()),
                'texts': len(text_cos),
                'min_text_cosine': float(text_cos.min()),
            }
        )
    )
    if image_cos.min() < 0.9999 or text_cos.min() < 0.9999:
        raise SystemExit('the engine and torch disagree')


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--checkpoint', required=True)
    p.add_argument('--out', required=True)
    p.add_argument('--verify', action='store_true')
    p.add_argument('--heldout', help='held-out dataset, for --verify')
    p.add_argument('--work', default='scratch/train-clip/verify', help='scratch folder for --verify')
    args = p.parse_args()
    torch.set_num_threads(2)
    model, checkpoint = load_checkpoint(args.checkpoint)
    export(model, checkpoint, args.out)
    if args.verify:
        if not args.heldout:
            raise SystemExit('--verify needs --heldout')
        verify(model, args.out, Dataset(args.heldout), args.work)


if __name__ == '__main__':
    main()
