"""Signed-int8 dynamic quantisation of a CLIP ONNX export, without onnxruntime's Python tools.

    /usr/bin/python3 tools/bench-model/quantize_int8.py --model DIR [--out DIR] [--per-tensor]
        [--reduce-range] [--min-elements N] [--force]

For each fp32 tower file in DIR/onnx (text_model.onnx, vision_model.onnx, model.onnx, whichever exist) it writes
the `_int8` file clipsmith loads with dtype 'int8' (text_model_int8.onnx, ...), into --out (default: DIR).
When --out is another folder, the JSON files are copied there and the fp32 files linked, so it holds a
complete model for both dtypes (use that for a read-only folder such as a test fixture).

Every MatMul (and Gemm) whose weight is a constant fp32 matrix becomes

    DynamicQuantizeLinear(activation) -> MatMulInteger(uint8 activation, int8 weight) -> Cast -> Mul(scale)

with SIGNED int8 weights, symmetric (zero point 0), one scale per output column by default. That is the
pattern onnxruntime's quantizer emits and its graph optimiser fuses into MatMulIntegerToFloat or
DynamicQuantizeMatMul, with the bias Add folded in; uint8 x int8 is the fast path of its integer GEMM
(VNNI on AVX512 and AVX-VNNI CPUs). Hub `_quantized` files use uint8 weights, which take a slower path.
The activation is quantised once per tensor and shared by the MatMuls that read it (q, k and v).
Attention's activation x activation MatMuls, the patch-embedding Conv and embedding tables stay fp32.

--reduce-range keeps weights in [-63, 63]: for AVX2 CPUs without VNNI, where uint8 x int8 products can
saturate (onnxruntime's advice for that case). --per-tensor uses one scale per matrix.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

TOWERS = ('text_model', 'vision_model', 'model')
JSON_FILES = ('config.json', 'preprocessor_config.json', 'tokenizer.json', 'tokenizer_config.json',
              'special_tokens_map.json', 'vocab.json', 'merges.txt')
TWO_GB = 2 * 1024 ** 3 - 64 * 1024 ** 2


def quantize_weight(w: np.ndarray, per_column: bool, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric int8 weights and their scales (one per column, or one)."""
    peak = np.abs(w).max(axis=0) if per_column else np.array(np.abs(w).max())
    scale = np.where(peak > 0, peak / limit, 1.0).astype(np.float32)
    q = np.clip(np.rint(w / scale), -limit, limit).astype(np.int8)
    return q, scale


class Quantizer:
    def __init__(self, model: onnx.ModelProto, per_column: bool, limit: int, min_elements: int):
        self.model = model
        self.graph = model.graph
        self.per_column = per_column
        self.limit = limit
        self.min_elements = min_elements
        self.initializers = {i.name: i for i in self.graph.initializer}
        self.new_initializers: list[onnx.TensorProto] = []
        self.dynamic: dict[str, tuple[str, str, str]] = {}
        self.quantized_outputs: set[str] = set()
        self.count = 0

    def constant_matrix(self, name: str) -> np.ndarray | None:
        init = self.initializers.get(name)
        if init is None or init.data_type != TensorProto.FLOAT or len(init.dims) != 2:
            return None
        if init.dims[0] * init.dims[1] < self.min_elements:
            return None
        return numpy_helper.to_array(init)

    def activation(self, name: str, nodes: list[onnx.NodeProto]) -> tuple[str, str, str]:
        """uint8 activation, its scale and zero point: one DynamicQuantizeLinear per tensor."""
        if name not in self.dynamic:
            base = f'{name}_dq'
            outputs = (f'{base}_u8', f'{base}_scale', f'{base}_zero_point')
            nodes.append(helper.make_node('DynamicQuantizeLinear', [name], list(outputs), name=f'{base}/Quantize'))
            self.dynamic[name] = outputs
        return self.dynamic[name]

    def integer_matmul(self, a: str, w: np.ndarray, weight_name: str, output: str,
                       nodes: list[onnx.NodeProto]) -> None:
        q, scale = quantize_weight(w, self.per_column, self.limit)
        prefix = f'{weight_name}_int8'
        self.new_initializers += [
            numpy_helper.from_array(q, f'{prefix}'),
            numpy_helper.from_array(scale, f'{prefix}_scale'),
            numpy_helper.from_array(np.array(0, dtype=np.int8), f'{prefix}_zero_point'),
        ]
        a_u8, a_scale, a_zero = self.activation(a, nodes)
        nodes += [
            helper.make_node('MatMulInteger', [a_u8, prefix, a_zero, f'{prefix}_zero_point'], [f'{output}_i32'],
                             name=f'{output}/MatMulInteger'),
            helper.make_node('Mul', [a_scale, f'{prefix}_scale'], [f'{output}_multiplier'],
                             name=f'{output}/MulScales'),
            helper.make_node('Cast', [f'{output}_i32'], [f'{output}_f32'], to=TensorProto.FLOAT,
                             name=f'{output}/Cast'),
            helper.make_node('Mul', [f'{output}_f32', f'{output}_multiplier'], [output], name=f'{output}/Rescale'),
        ]
        self.quantized_outputs.add(output)
        self.count += 1

    def gemm_weight(self, node: onnx.NodeProto) -> np.ndarray | None:
        attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        if attrs.get('transA', 0) != 0 or attrs.get('alpha', 1.0) != 1.0 or attrs.get('beta', 1.0) != 1.0:
            return None
        w = self.constant_matrix(node.input[1])
        return None if w is None else (w.T if attrs.get('transB', 0) else w)

    def run(self) -> int:
        nodes: list[onnx.NodeProto] = []
        for node in self.graph.node:
            if node.op_type == 'MatMul' and (w := self.constant_matrix(node.input[1])) is not None:
                self.integer_matmul(node.input[0], w, node.input[1], node.output[0], nodes)
            elif node.op_type == 'Gemm' and (w := self.gemm_weight(node)) is not None:
                has_bias = len(node.input) > 2 and node.input[2] != ''
                product = f'{node.output[0]}_product' if has_bias else node.output[0]
                self.integer_matmul(node.input[0], np.ascontiguousarray(w), node.input[1], product, nodes)
                if has_bias:
                    nodes.append(helper.make_node('Add', [product, node.input[2]], [node.output[0]],
                                                  name=f'{node.output[0]}/AddBias'))
            elif (node.op_type == 'Add' and len(node.input) == 2 and node.input[0] in self.initializers
                  and node.input[1] in self.quantized_outputs):
                # The optimiser folds a bias into the integer MatMul only when it is Add's second input.
                nodes.append(helper.make_node('Add', [node.input[1], node.input[0]], list(node.output),
                                              name=node.name))
            else:
                nodes.append(node)
        del self.graph.node[:]
        self.graph.node.extend(nodes)
        used = {name for n in self.graph.node for name in n.input} | {o.name for o in self.graph.output}
        kept = [i for i in self.graph.initializer if i.name in used]
        del self.graph.initializer[:]
        self.graph.initializer.extend(kept + self.new_initializers)
        return self.count


def quantize_file(src: str, dst: str, per_column: bool, limit: int, min_elements: int) -> None:
    model = onnx.load(src)
    opset = next((o.version for o in model.opset_import if o.domain in ('', 'ai.onnx')), 0)
    if opset < 11:
        raise SystemExit(f'{src}: opset {opset}; DynamicQuantizeLinear needs opset 11 or later')
    if any(i.data_type == TensorProto.FLOAT16 for i in model.graph.initializer):
        raise SystemExit(f'{src} holds fp16 weights: quantise the fp32 export')
    count = Quantizer(model, per_column, limit, min_elements).run()
    if count == 0:
        raise SystemExit(f'{src}: no MatMul or Gemm with a constant fp32 weight to quantise')
    onnx.checker.check_model(model)
    tmp = dst + '.partial'
    large = model.ByteSize() > TWO_GB
    if large:
        onnx.save(model, tmp, save_as_external_data=True, location=os.path.basename(dst) + '_data')
    else:
        onnx.save(model, tmp)
    os.replace(tmp, dst)
    print(f'{os.path.basename(src)} -> {dst}: {count} weight matrices int8, '
          f'{os.path.getsize(src) / 1e6:.1f} MB -> {os.path.getsize(dst) / 1e6:.1f} MB')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--model', required=True, help='a Hugging Face ONNX export folder holding fp32 towers')
    parser.add_argument('--out', help='where the _int8 files go (default: the model folder)')
    parser.add_argument('--per-tensor', action='store_true', help='one scale per weight matrix')
    parser.add_argument('--reduce-range', action='store_true', help='7-bit weights, for AVX2 CPUs without VNNI')
    parser.add_argument('--min-elements', type=int, default=0, help='leave smaller weight matrices in fp32')
    parser.add_argument('--force', action='store_true', help='overwrite existing _int8 files')
    args = parser.parse_args()
    src_dir = os.path.abspath(args.model)
    out_dir = os.path.abspath(args.out or args.model)
    towers = [t for t in TOWERS if os.path.exists(os.path.join(src_dir, 'onnx', f'{t}.onnx'))]
    if not towers:
        sys.exit(f'{src_dir}/onnx holds none of {", ".join(t + ".onnx" for t in TOWERS)}')
    os.makedirs(os.path.join(out_dir, 'onnx'), exist_ok=True)
    if out_dir != src_dir:
        for name in JSON_FILES:
            if os.path.exists(os.path.join(src_dir, name)):
                shutil.copyfile(os.path.join(src_dir, name), os.path.join(out_dir, name))
        for tower in towers:
            link = os.path.join(out_dir, 'onnx', f'{tower}.onnx')
            if not os.path.lexists(link):
                os.symlink(os.path.join(src_dir, 'onnx', f'{tower}.onnx'), link)
    for tower in towers:
        dst = os.path.join(out_dir, 'onnx', f'{tower}_int8.onnx')
        if os.path.exists(dst) and not args.force:
            print(f'{dst} exists (--force to redo)')
            continue
        quantize_file(os.path.join(src_dir, 'onnx', f'{tower}.onnx'), dst, not args.per_tensor,
                      63 if args.reduce_range else 127, args.min_elements)


if __name__ == '__main__':
    main()
