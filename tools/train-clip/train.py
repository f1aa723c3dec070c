"""Trains clipsmith's CLIP model on a procedural-scene dataset (contrastive, CLIP's recipe + hard negatives).

    /usr/bin/python3 tools/train-clip/train.py --train DIR --heldout DIR --out DIR [--steps N] ...

Writes DIR/checkpoint.npz (the last), DIR/log.jsonl (one line per evaluation: the learning curve) and
DIR/train.log. Run it through tools/train-clip/run-python.sh (thread and malloc settings) or reproduce.sh.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from clipsmith_clip import vocab as V  # noqa: E402
from clipsmith_clip.data import BatchMaker, CaptionBank, Dataset, Sampler, augment, consistent  # noqa: E402
from clipsmith_clip.evaluate import format_result, normalize_pixels, zero_shot  # noqa: E402
from clipsmith_clip.model import Clip, ModelConfig, count_parameters, normalize  # noqa: E402


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--train', required=True, help='training dataset folder')
    p.add_argument('--heldout', required=True, help='held-out dataset folder, for the learning curve')
    p.add_argument('--out', required=True, help='folder for checkpoint.npz, log.jsonl, train.log')
    p.add_argument('--steps', type=int, default=6000)
    p.add_argument('--batch', type=int, default=256)
    p.add_argument('--lr', type=float, default=2e-3)
    p.add_argument('--weight-decay', type=float, default=0.05)
    p.add_argument('--warmup', type=int, default=300)
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu', help='cpu or cuda')
    p.add_argument('--workers', type=int, default=0, help='processes that draw captions and negatives')
    p.add_argument(
        '--minutes', type=float, default=None, help='instead of --steps: as many steps as fit (timed on the first 100)'
    )
    p.add_argument('--generic-fraction', type=float, default=0.35, help="share of this tool's own captions")
    p.add_argument('--no-negatives', action='store_true', help='train without hard negatives')
    p.add_argument('--pair-weight', type=float, default=1.0, help='weight of the caption-vs-own-negative loss')
    p.add_argument('--group-size', type=int, default=4, help='pictures per group sharing colour and background')
    p.add_argument('--grouped-fraction', type=float, default=0.5, help='share of a batch drawn in groups')
    p.add_argument('--no-augment', action='store_true')
    p.add_argument('--eval-every', type=int, default=500, help='steps between held-out evaluations')
    p.add_argument('--eval-single', type=int, default=1000, help='single-object scenes per evaluation')
    p.add_argument('--eval-two', type=int, default=1000, help='two-object scenes per evaluation')
    p.add_argument('--limit', type=int, default=None, help='use only the first N training images')
    p.add_argument('--model', default='{}', help='JSON overrides of ModelConfig fields')
    p.add_argument('--profile', type=int, default=0, help='time N steps and exit')
    return p.parse_args(argv)


def param_groups(model: torch.nn.Module, weight_decay: float):
    decay, no_decay = [], []
    for name, param in model.named_parameters():
        (decay if param.ndim >= 2 and 'position' not in name and 'token' not in name else no_decay).append(param)
    return [{'params': decay, 'weight_decay': weight_decay}, {'params': no_decay, 'weight_decay': 0.0}]


def learning_rate(step: int, args) -> float:
    if step < args.warmup:
        return args.lr * (step + 1) / args.warmup
    progress = (step - args.warmup) / max(1, args.steps - args.warmup)
    return args.lr * 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))


def contrastive_loss(model: Clip, pixels, ids, true_of, batch: int, pairs, pair_weight: float, bf16: bool):
    """Symmetric InfoNCE. Texts beyond `batch` are hard negatives (image->text only). A caption that is
    also true of another image of the batch ("a red object") is neither positive nor negative there.
    pair_weight adds, per image, a two-way softmax between its caption and its own hard negative
    (pairs: [2, P] rows and columns of the images that have one)."""
    # On a GPU the towers run in bf16; similarities and losses are taken in fp32.
    with torch.autocast(pixels.device.type, dtype=torch.bfloat16, enabled=bf16):
        image, text = model.image(pixels), model.text(ids)
    image, text = normalize(image.float()), normalize(text.float())
    logits = model.scale() * image @ text.T  # [B, T]
    diagonal = torch.zeros_like(true_of)
    diagonal[:, :batch] = torch.eye(batch, dtype=torch.bool, device=true_of.device)
    ignore = true_of & ~diagonal
    target = torch.arange(batch, device=true_of.device)
    loss_i2t = F.cross_entropy(logits.masked_fill(ignore, float('-inf')), target)
    loss_t2i = F.cross_entropy(logits[:, :batch].T.masked_fill(ignore[:, :batch].T, float('-inf')), target)
    loss = (loss_i2t + loss_t2i) / 2
    if pair_weight > 0 and pairs.shape[1]:
        rows, columns = pairs
        pair = torch.stack([logits[rows, rows], logits[rows, columns]], 1)
        target_pair = torch.zeros(len(rows), dtype=torch.long, device=pair.device)
        loss = loss + pair_weight * F.cross_entropy(pair, target_pair)
    with torch.no_grad():
        acc = (logits.masked_fill(ignore, float('-inf')).argmax(1) == target).float().mean()
    return loss, acc


class BatchStream(torch.utils.data.IterableDataset):
    """What each step trains on, drawn on the CPU: image indices, caption ids (positives, then hard
    negatives), which caption is true of which image, and each image's own negative. With --workers N,
    N processes draw in turn (each seeded apart), so Python's caption work keeps up with a GPU."""

    def __init__(self, train: Dataset, args):
        self.train, self.args = train, args

    def __iter__(self):
        info = torch.utils.data.get_worker_info()
        seed = self.args.seed if info is None else self.args.seed * 1000 + info.id
        args = self.args
        maker = BatchMaker(self.train, CaptionBank(), seed, args.generic_fraction, not args.no_negatives)
        sampler = Sampler(self.train.scenes, args.batch, args.group_size, args.grouped_fraction, seed)
        scenes = torch.from_numpy(self.train.scenes)
        while True:
            idx = torch.from_numpy(sampler.next())
            ids, specs, negative_of = maker.captions_for(idx.numpy())
            true_of = consistent(scenes[idx], specs)
            broken = int((~true_of[:, : args.batch].diagonal()).sum())
            rows = (negative_of >= 0).nonzero().squeeze(1)
            rows = rows[~true_of[rows, negative_of[rows]]]  # a negative that happens to be true is no negative
            yield idx, ids, true_of, torch.stack([rows, negative_of[rows]]), broken


def batches(train: Dataset, args):
    stream = BatchStream(train, args)
    if args.workers == 0:
        return iter(stream)
    loader = torch.utils.data.DataLoader(
        stream, batch_size=None, num_workers=args.workers, prefetch_factor=4, pin_memory=args.device != 'cpu'
    )
    return iter(loader)


def main(argv=None) -> None:
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    np.random.seed(args.seed)
    device = torch.device(args.device)
    cuda = device.type == 'cuda'
    if cuda:
        torch.backends.cudnn.benchmark = True
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    os.makedirs(args.out, exist_ok=True)
    log_text = open(os.path.join(args.out, 'train.log'), 'a', encoding='utf-8')

    def say(message: str) -> None:
        line = f'[{time.strftime("%H:%M:%S")}] {message}'
        print(line, flush=True)
        log_text.write(line + '\n')
        log_text.flush()

    say(f'args: {vars(args)}')
    t0 = time.time()
    train = Dataset(args.train, limit=args.limit)
    heldout = Dataset(args.heldout)
    say(f'loaded {len(train)} training and {len(heldout)} held-out images in {time.time() - t0:.0f} s')
    stream = batches(train, args)  # its worker processes start here, before CUDA does in this one

    cfg = ModelConfig(image_size=train.size, **json.loads(args.model))
    model = Clip(cfg).to(device)
    # NHWC is what oneDNN's and cuDNN's convolutions want (about 1.5x faster on CPU). The export is unaffected.
    model.image.to(memory_format=torch.channels_last)
    say(
        f'model: {count_parameters(model.image) / 1e6:.2f} M image, {count_parameters(model.text) / 1e6:.2f} M '
        f'text parameters; config {cfg.to_dict()}; device {device}'
        + (f' ({torch.cuda.get_device_name(device)}, bf16 towers)' if cuda else '')
    )
    opt = torch.optim.AdamW(param_groups(model, args.weight_decay), lr=args.lr, betas=(0.9, 0.98), eps=1e-6)
    gen = torch.Generator(device=device).manual_seed(args.seed)
    images = torch.from_numpy(train.images).to(device)
    styles = torch.from_numpy(train.scenes[:, 6]).to(device)

    log_path = os.path.join(args.out, 'log.jsonl')
    log_json = open(log_path, 'w', encoding='utf-8')
    started = time.time()
    train_seconds = 0.0
    running = {'loss': torch.zeros((), device=device), 'acc': torch.zeros((), device=device), 'n': 0}
    steps = args.profile or args.steps

    def evaluate(step: int) -> None:
        t = time.time()
        r = zero_shot(model, heldout, args.eval_single, args.eval_two)
        n = max(1, running['n'])
        entry = {
            'step': step,
            'samples': step * args.batch,
            'train_minutes': round(train_seconds / 60, 2),
            'wall_minutes': round((time.time() - started) / 60, 2),
            'loss': round(float(running['loss']) / n, 4),
            'batch_acc': round(float(running['acc']) / n, 4),
            'logit_scale': round(float(model.scale()), 3),
            'lr': learning_rate(step, args),
            **{k: (round(v, 4) if isinstance(v, float) else v) for k, v in r.items()},
        }
        log_json.write(json.dumps(entry) + '\n')
        log_json.flush()
        say(
            f'step {step} ({entry["train_minutes"]} min training) loss {entry["loss"]} batch-acc '
            f'{entry["batch_acc"]} scale {entry["logit_scale"]} | held-out {format_result(r)} '
            f'(eval {time.time() - t:.0f} s)'
        )
        running.update(loss=torch.zeros((), device=device), acc=torch.zeros((), device=device), n=0)

    model.train()
    step = 0
    while step < steps:
        t_step = time.time()
        idx, ids, true_of, pairs, broken = next(stream)
        if broken:
            say(f'warning: {broken} captions parsed as not true of their own image')
        idx, ids = idx.to(device, non_blocking=True), ids.to(device, non_blocking=True)
        true_of, pairs = true_of.to(device, non_blocking=True), pairs.to(device, non_blocking=True)
        batch_images = images[idx]
        if args.no_augment:
            pixels = batch_images.permute(0, 3, 1, 2).float() / 255.0
        else:
            pixels = augment(batch_images, styles[idx], gen)
        pixels = normalize_pixels(pixels).contiguous(memory_format=torch.channels_last)
        t_data = time.time()
        for group in opt.param_groups:
            group['lr'] = learning_rate(step, args)
        loss, acc = contrastive_loss(model, pixels, ids, true_of, args.batch, pairs, args.pair_weight, cuda)
        opt.zero_grad(set_to_none=True)
        t_forward = time.time()
        loss.backward()
        t_backward = time.time()
        opt.step()
        running['loss'] += loss.detach()
        running['acc'] += acc
        running['n'] += 1
        step += 1
        if cuda and (args.profile or step % 50 == 0):
            torch.cuda.synchronize()
        train_seconds += time.time() - t_step
        if args.profile:
            say(
                f'step {step}: {time.time() - t_step:.2f} s (data {t_data - t_step:.2f}, forward '
                f'{t_forward - t_data:.2f}, backward {t_backward - t_forward:.2f}, optimizer '
                f'{time.time() - t_backward:.2f}), loss {float(loss):.3f}, texts {tuple(ids.shape)}'
            )
            continue
        if args.minutes and step == TIMING_STEPS:
            # The schedule is a function of step and steps alone: fix steps once, from measured speed.
            steps = args.steps = max(step + 1, int(args.minutes * 60 / (time.time() - started) * step))
            say(f'--minutes {args.minutes}: {steps} steps')
        if step % 50 == 0 and step % args.eval_every != 0:
            say(f'step {step}: loss {float(running["loss"]) / running["n"]:.3f} ({train_seconds / step:.3f} s/step)')
        if step % args.eval_every == 0 or step == steps:
            evaluate(step)
            save(model, cfg, args, step, train_seconds, os.path.join(args.out, 'checkpoint.npz'))
    say(f'done: {steps} steps, {train_seconds / 60:.1f} min training, {(time.time() - started) / 60:.1f} min wall')


TIMING_STEPS = 100


def save(model: Clip, cfg: ModelConfig, args, step: int, seconds: float, path: str) -> None:
    """checkpoint.npz: the weights as numpy arrays and the rest as JSON (readable by any torch version)."""
    meta = {'config': cfg.to_dict(), 'args': vars(args), 'step': step, 'train_seconds': seconds, 'vocab': V.VOCAB}
    weights = {k: v.detach().cpu().numpy() for k, v in model.state_dict().items()}
    with open(path + '.tmp', 'wb') as f:
        np.savez(f, __meta__=np.array(json.dumps(meta)), **weights)
    os.replace(path + '.tmp', path)


if __name__ == '__main__':
    main()
