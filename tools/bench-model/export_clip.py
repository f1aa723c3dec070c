"""Writes the benchmark model: a CLIP the exact size of openai/clip-vit-base-patch32, with random weights,
in the Hugging Face ONNX layout (as the Xenova/clip-* repositories have it).

    /usr/bin/python3 tools/bench-model/export_clip.py --out .bench-model/clip-vit-base-patch32-random \
        [--tokenizer ../shared/fixtures/clip-parity/model] [--seed 0]

Vision: 224 px, patch 32, width 768, 12 layers, 12 heads, MLP 3072. Text: width 512, 8 heads, 12 layers,
77 tokens, vocabulary 49,408. Projection 512, quick_gelu, pre-LN blocks, as transformers' CLIPModel.
Weights follow transformers' CLIP initialisation, with small random layer-norm gains and biases so no
parameter is a trivial constant. Only the sizes and the operators matter for speed; the embeddings mean
nothing. tokenizer.json and tokenizer_config.json are copied from the real CLIP tokenizer.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil

import torch
import torch.nn as nn
import torch.nn.functional as F

OPSET = 14

VISION = dict(image_size=224, patch_size=32, hidden_size=768, num_hidden_layers=12, num_attention_heads=12,
              intermediate_size=3072)
TEXT = dict(hidden_size=512, num_hidden_layers=12, num_attention_heads=8, intermediate_size=2048,
            max_position_embeddings=77, vocab_size=49408)
PROJECTION = 512
BOS_ID, EOS_ID = 49406, 49407
LAYER_NORM_EPS = 1e-5


def quick_gelu(x: torch.Tensor) -> torch.Tensor:
    return x * torch.sigmoid(1.702 * x)


class Attention(nn.Module):
    def __init__(self, width: int, heads: int):
        super().__init__()
        self.heads = heads
        self.head_dim = width // heads
        self.scale = self.head_dim ** -0.5
        self.q_proj = nn.Linear(width, width)
        self.k_proj = nn.Linear(width, width)
        self.v_proj = nn.Linear(width, width)
        self.out_proj = nn.Linear(width, width)

    def split(self, x: torch.Tensor) -> torch.Tensor:
        b, n, _ = x.shape
        return x.reshape(b, n, self.heads, self.head_dim).transpose(1, 2)

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
        b, n, w = x.shape
        q = self.split(self.q_proj(x) * self.scale)
        k = self.split(self.k_proj(x))
        v = self.split(self.v_proj(x))
        scores = q @ k.transpose(-1, -2)
        if mask is not None:
            scores = scores + mask
        out = F.softmax(scores, dim=-1) @ v
        return self.out_proj(out.transpose(1, 2).reshape(b, n, w))


class Block(nn.Module):
    def __init__(self, width: int, heads: int, mlp: int):
        super().__init__()
        self.layer_norm1 = nn.LayerNorm(width, eps=LAYER_NORM_EPS)
        self.self_attn = Attention(width, heads)
        self.layer_norm2 = nn.LayerNorm(width, eps=LAYER_NORM_EPS)
        self.fc1 = nn.Linear(width, mlp)
        self.fc2 = nn.Linear(mlp, width)

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        x = x + self.self_attn(self.layer_norm1(x), mask)
        return x + self.fc2(quick_gelu(self.fc1(self.layer_norm2(x))))


class VisionModel(nn.Module):
    """pixel_values [B, 3, 224, 224] -> image_embeds [B, 512] (CLIPVisionModelWithProjection)."""

    def __init__(self):
        super().__init__()
        w, p, s = VISION['hidden_size'], VISION['patch_size'], VISION['image_size']
        self.patch_embedding = nn.Conv2d(3, w, kernel_size=p, stride=p, bias=False)
        self.class_embedding = nn.Parameter(torch.empty(w))
        self.position_embedding = nn.Parameter(torch.empty((s // p) ** 2 + 1, w))
        self.pre_layrnorm = nn.LayerNorm(w, eps=LAYER_NORM_EPS)
        self.layers = nn.ModuleList(
            Block(w, VISION['num_attention_heads'], VISION['intermediate_size'])
            for _ in range(VISION['num_hidden_layers'])
        )
        self.post_layernorm = nn.LayerNorm(w, eps=LAYER_NORM_EPS)
        self.visual_projection = nn.Linear(w, PROJECTION, bias=False)

    def forward(self, pixel_values: torch.Tensor) -> torch.Tensor:
        patches = self.patch_embedding(pixel_values).flatten(2).transpose(1, 2)
        cls = self.class_embedding.expand(patches.shape[0], 1, -1)
        x = self.pre_layrnorm(torch.cat([cls, patches], dim=1) + self.position_embedding)
        for layer in self.layers:
            x = layer(x)
        return self.visual_projection(self.post_layernorm(x[:, 0, :]))


class TextModel(nn.Module):
    """input_ids [B, L] -> text_embeds [B, 512] (CLIPTextModelWithProjection), pooled at the end token:
    its id is the largest in the vocabulary, so argmax finds the first one, as transformers does."""

    def __init__(self):
        super().__init__()
        w, n = TEXT['hidden_size'], TEXT['max_position_embeddings']
        self.token_embedding = nn.Embedding(TEXT['vocab_size'], w)
        self.position_embedding = nn.Parameter(torch.empty(n, w))
        self.layers = nn.ModuleList(
            Block(w, TEXT['num_attention_heads'], TEXT['intermediate_size'])
            for _ in range(TEXT['num_hidden_layers'])
        )
        self.final_layer_norm = nn.LayerNorm(w, eps=LAYER_NORM_EPS)
        self.text_projection = nn.Linear(w, PROJECTION, bias=False)
        causal = torch.full((n, n), torch.finfo(torch.float32).min).triu(1)
        self.register_buffer('causal_mask', causal, persistent=False)

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        length = input_ids.shape[1]
        x = self.token_embedding(input_ids) + self.position_embedding[:length]
        mask = self.causal_mask[:length, :length]
        for layer in self.layers:
            x = layer(x, mask)
        x = self.final_layer_norm(x)
        pooled = x[torch.arange(x.shape[0]), input_ids.argmax(dim=-1)]
        return self.text_projection(pooled)


def initialise(model: nn.Module, layers: int, width: int, generator: torch.Generator) -> None:
    """transformers' CLIP initialisation (factor 1), plus small random layer-norm gains and biases."""

    def normal(t: torch.Tensor, std: float) -> None:
        with torch.no_grad():
            t.copy_(torch.randn(t.shape, generator=generator) * std)

    in_proj_std = width ** -0.5 * (2 * layers) ** -0.5
    for name, module in model.named_modules():
        if isinstance(module, Attention):
            for proj in (module.q_proj, module.k_proj, module.v_proj):
                normal(proj.weight, in_proj_std)
            normal(module.out_proj.weight, width ** -0.5)
        elif isinstance(module, Block):
            normal(module.fc1.weight, (2 * width) ** -0.5)
            normal(module.fc2.weight, in_proj_std)
        elif isinstance(module, nn.LayerNorm):
            with torch.no_grad():
                module.weight.copy_(1 + torch.randn(module.weight.shape, generator=generator) * 0.05)
            normal(module.bias, 0.02)
        if isinstance(module, nn.Linear) and module.bias is not None:
            normal(module.bias, 0.02)
    if isinstance(model, VisionModel):
        normal(model.class_embedding, width ** -0.5)
        normal(model.patch_embedding.weight, 0.02)
        normal(model.position_embedding, 0.02)
        normal(model.visual_projection.weight, width ** -0.5)
    else:
        assert isinstance(model, TextModel)
        normal(model.token_embedding.weight, 0.02)
        normal(model.position_embedding, 0.01)
        normal(model.text_projection.weight, width ** -0.5)


def config_json() -> dict:
    """openai/clip-vit-base-patch32's config.json, sizes and all (with the real token ids)."""
    return {
        'architectures': ['CLIPModel'],
        'model_type': 'clip',
        'projection_dim': PROJECTION,
        'logit_scale_init_value': 2.6592,
        'initializer_factor': 1.0,
        'clipsmith_note': 'random weights: the size of openai/clip-vit-base-patch32, for benchmarks only',
        'text_config': {
            'model_type': 'clip_text_model',
            'hidden_act': 'quick_gelu',
            'layer_norm_eps': LAYER_NORM_EPS,
            'projection_dim': PROJECTION,
            'bos_token_id': BOS_ID,
            'eos_token_id': EOS_ID,
            'pad_token_id': 1,
            **TEXT,
        },
        'vision_config': {
            'model_type': 'clip_vision_model',
            'hidden_act': 'quick_gelu',
            'layer_norm_eps': LAYER_NORM_EPS,
            'projection_dim': PROJECTION,
            'num_channels': 3,
            **VISION,
        },
    }


def preprocessor_config_json() -> dict:
    return {
        'crop_size': {'height': 224, 'width': 224},
        'do_center_crop': True,
        'do_convert_rgb': True,
        'do_normalize': True,
        'do_rescale': True,
        'do_resize': True,
        'image_mean': [0.48145466, 0.4578275, 0.40821073],
        'image_std': [0.26862954, 0.26130258, 0.27577711],
        'image_processor_type': 'CLIPImageProcessor',
        'processor_class': 'CLIPProcessor',
        'resample': 3,
        'rescale_factor': 1 / 255,
        'size': {'shortest_edge': 224},
    }


def write_json(path: str, value: dict) -> None:
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(value, f, indent=2)
        f.write('\n')


def export(out: str, tokenizer_dir: str, seed: int) -> None:
    generator = torch.Generator().manual_seed(seed)
    vision, text = VisionModel().eval(), TextModel().eval()
    initialise(vision, VISION['num_hidden_layers'], VISION['hidden_size'], generator)
    initialise(text, TEXT['num_hidden_layers'], TEXT['hidden_size'], generator)
    tmp = out + '.partial'
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(os.path.join(tmp, 'onnx'))
    write_json(os.path.join(tmp, 'config.json'), config_json())
    write_json(os.path.join(tmp, 'preprocessor_config.json'), preprocessor_config_json())
    for name in ('tokenizer.json', 'tokenizer_config.json'):
        shutil.copyfile(os.path.join(tokenizer_dir, name), os.path.join(tmp, name))
    with torch.no_grad():
        ids = torch.tensor([[BOS_ID, 320, 1125, 539, 320, 2368, EOS_ID], [BOS_ID, 320, 2368, EOS_ID, EOS_ID,
                                                                           EOS_ID, EOS_ID]])
        torch.onnx.export(
            text, (ids,), os.path.join(tmp, 'onnx', 'text_model.onnx'),
            input_names=['input_ids'], output_names=['text_embeds'],
            dynamic_axes={'input_ids': {0: 'batch_size', 1: 'sequence_length'}, 'text_embeds': {0: 'batch_size'}},
            opset_version=OPSET, do_constant_folding=True,
        )
        torch.onnx.export(
            vision, (torch.randn(2, 3, 224, 224, generator=generator),),
            os.path.join(tmp, 'onnx', 'vision_model.onnx'),
            input_names=['pixel_values'], output_names=['image_embeds'],
            dynamic_axes={'pixel_values': {0: 'batch_size'}, 'image_embeds': {0: 'batch_size'}},
            opset_version=OPSET, do_constant_folding=True,
        )
    import onnx

    for name in ('text_model.onnx', 'vision_model.onnx'):
        onnx.checker.check_model(os.path.join(tmp, 'onnx', name))
    # Reference embeddings from torch, so the harness can check the ONNX files compute the same thing.
    with torch.no_grad():
        reference = {
            'input_ids': ids.tolist(),
            'text_embeds': text(ids).tolist(),
            'image_embeds_of_zeros': vision(torch.zeros(1, 3, 224, 224)).tolist(),
        }
    write_json(os.path.join(tmp, 'torch_reference.json'), reference)
    shutil.rmtree(out, ignore_errors=True)
    os.rename(tmp, out)
    params = sum(p.numel() for p in vision.parameters()) + sum(p.numel() for p in text.parameters())
    print(f'wrote {out}: {params / 1e6:.1f} M parameters')


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--out', required=True)
    parser.add_argument('--tokenizer', default=os.path.join(here, '..', '..', '..', 'shared', 'fixtures',
                                                            'clip-parity', 'model'))
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args()
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    export(os.path.abspath(args.out), os.path.abspath(args.tokenizer), args.seed)


if __name__ == '__main__':
    main()
