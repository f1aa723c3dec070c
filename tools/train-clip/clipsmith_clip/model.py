"""The two towers: a small residual CNN for images and a small causal transformer for text."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import torch
import torch.nn as nn
import torch.nn.functional as F

from . import vocab as V


@dataclass
class ModelConfig:
    image_size: int = 64
    # Channels of the stem (full resolution) and of each stage; every stage after the first halves the side.
    stem_width: int = 24
    stem_stride: int = 1
    widths: list[int] = field(default_factory=lambda: [32, 64, 128, 256])
    strides: list[int] = field(default_factory=lambda: [2, 2, 2, 2])
    blocks: list[int] = field(default_factory=lambda: [1, 1, 1, 1])
    # How the last feature map becomes a vector: 'pool' = global average (what is there, wherever it is)
    # + a 2x2 grid of averages (roughly where); 'flatten' = every position apart.
    head: str = 'pool'
    # CoordConv: two extra input channels holding x and y, so features can say where things are and
    # survive the pooling with it (for left of / right of / above / below).
    coords: bool = True
    text_width: int = 128
    text_layers: int = 4
    text_heads: int = 4
    context_length: int = V.MODEL_MAX_LENGTH
    vocab_size: int = V.VOCAB_SIZE
    embed_dim: int = 256

    def to_dict(self) -> dict:
        return asdict(self)


def conv_bn(cin: int, cout: int, stride: int = 1) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout))


class ResBlock(nn.Module):
    def __init__(self, width: int):
        super().__init__()
        self.a = conv_bn(width, width)
        self.b = conv_bn(width, width)
        nn.init.zeros_(self.b[1].weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu(x + self.b(F.relu(self.a(x))))


class ImageTower(nn.Module):
    """stem (full res) -> stride-2 residual stages -> pooled (see ModelConfig.head) -> LayerNorm -> linear."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        layers: list[nn.Module] = [conv_bn(5 if cfg.coords else 3, cfg.stem_width, stride=cfg.stem_stride), nn.ReLU()]
        if cfg.coords:
            ramp = torch.linspace(-1, 1, cfg.image_size)
            grid = torch.stack([ramp[None, :].expand(cfg.image_size, -1), ramp[:, None].expand(-1, cfg.image_size)])
            self.register_buffer('coords', grid[None].contiguous(), persistent=False)
        else:
            self.coords = None
        cin = cfg.stem_width
        side = cfg.image_size // cfg.stem_stride
        for width, stride, blocks in zip(cfg.widths, cfg.strides, cfg.blocks):
            layers += [conv_bn(cin, width, stride=stride), nn.ReLU()]
            layers += [ResBlock(width) for _ in range(blocks)]
            cin = width
            side //= stride
        self.features = nn.Sequential(*layers)
        self.head = cfg.head
        if cfg.head == 'pool':
            assert side % 2 == 0, side
            self.grid = side // 2
            size = 5 * cin
        elif cfg.head == 'flatten':
            size = cin * side * side
        else:
            raise ValueError(f'unknown head {cfg.head}')
        self.norm = nn.LayerNorm(size)
        self.proj = nn.Linear(size, cfg.embed_dim, bias=False)

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        if self.coords is not None:
            pixels = torch.cat([pixels, self.coords.expand(pixels.shape[0], -1, -1, -1)], 1)
        x = self.features(pixels)
        if self.head == 'pool':
            x = torch.cat([x.mean((2, 3)), F.avg_pool2d(x, self.grid).flatten(1)], 1)
        else:
            x = x.flatten(1)
        return self.proj(self.norm(x))


class Attention(nn.Module):
    def __init__(self, width: int, heads: int):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(width, 3 * width)
        self.out = nn.Linear(width, width)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        b, n, w = x.shape
        q, k, v = self.qkv(x).reshape(b, n, 3, self.heads, w // self.heads).permute(2, 0, 3, 1, 4)
        scores = (q @ k.transpose(-1, -2)) * (1.0 / math.sqrt(w // self.heads)) + mask
        y = scores.softmax(-1) @ v
        return self.out(y.transpose(1, 2).reshape(b, n, w))


class Block(nn.Module):
    def __init__(self, width: int, heads: int):
        super().__init__()
        self.ln1 = nn.LayerNorm(width)
        self.attn = Attention(width, heads)
        self.ln2 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(nn.Linear(width, 4 * width), nn.GELU(), nn.Linear(4 * width, width))

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.ln1(x), mask)
        return x + self.mlp(self.ln2(x))


class TextTower(nn.Module):
    """CLIP's text transformer in small: causal, pooled at the first end token, projected."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.token = nn.Embedding(cfg.vocab_size, cfg.text_width)
        self.position = nn.Parameter(torch.randn(cfg.context_length, cfg.text_width) * 0.01)
        self.blocks = nn.ModuleList(Block(cfg.text_width, cfg.text_heads) for _ in range(cfg.text_layers))
        self.ln = nn.LayerNorm(cfg.text_width)
        self.proj = nn.Linear(cfg.text_width, cfg.embed_dim, bias=False)
        causal = torch.full((cfg.context_length, cfg.context_length), float('-inf')).triu(1)
        self.register_buffer('causal', causal, persistent=False)
        nn.init.normal_(self.token.weight, std=0.02)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        n = ids.shape[1]
        x = self.token(ids) + self.position[:n]
        mask = self.causal[:n, :n]
        for block in self.blocks:
            x = block(x, mask)
        x = self.ln(x)
        # First end token: argmax returns the first maximal index. Padding (end tokens) after it cannot
        # change it, since attention is causal.
        first_end = (ids == V.EOS_ID).to(torch.float32).argmax(dim=1)
        pooled = x[torch.arange(ids.shape[0]), first_end]
        return self.proj(pooled)


class Clip(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.cfg = cfg
        self.image = ImageTower(cfg)
        self.text = TextTower(cfg)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))

    def scale(self) -> torch.Tensor:
        return self.logit_scale.clamp(max=math.log(100.0)).exp()


def normalize(x: torch.Tensor) -> torch.Tensor:
    return F.normalize(x, dim=-1)


def count_parameters(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())
