"""Zero-shot accuracies of a checkpoint on a held-out dataset (all of it), as JSON.

    /usr/bin/python3 tools/train-clip/evaluate.py --checkpoint CKPT --heldout DIR [--out results.json]

The label texts are clipsmith_clip/evaluate.py's LABELS; they are also written into the JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from clipsmith_clip.data import Dataset  # noqa: E402
from clipsmith_clip.evaluate import LABELS, zero_shot  # noqa: E402
from export import load_checkpoint  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--checkpoint', required=True)
    p.add_argument('--heldout', required=True)
    p.add_argument('--out', help='write the results here too')
    args = p.parse_args()
    torch.set_num_threads(2)
    model, checkpoint = load_checkpoint(args.checkpoint)
    data = Dataset(args.heldout)
    result = {
        'checkpoint': args.checkpoint,
        'step': checkpoint['step'],
        'heldout': args.heldout,
        'heldout_seed': data.meta['seed'],
        **zero_shot(model, data),
        'labels': LABELS,
    }
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        with open(args.out, 'w', encoding='utf-8') as f:
            f.write(text + '\n')


if __name__ == '__main__':
    main()
