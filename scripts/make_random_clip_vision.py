#!/usr/bin/python3
"""Writes a full-size CLIP ViT-B/32 vision tower with RANDOM weights, for measuring indexing speed.

CLIP's real weights are not available on the build machines, but the cost of a forward pass depends only
on the architecture. This script builds the graph of Xenova/clip-vit-base-patch32 `onnx/vision_model.onnx`
(the export of transformers' CLIPVisionModelWithProjection) with the same operators, the same parameter
names and shapes (87.8 M parameters, ~351 MB), and the same inputs/outputs:

  pixel_values float32 [batch_size,3,224,224]
    -> image_embeds float32 [batch_size,512], last_hidden_state float32 [batch_size,50,768]

  patch Conv 32x32/32 (no bias) -> class token + 49 patches -> + position embedding (Gather) -> pre_layrnorm
  -> 12 x { LN1, q/k/v MatMul+Add, q * 1/8, heads 12x64, softmax(q k^T) v, out_proj, residual,
            LN2, fc1 768->3072, quick_gelu (x * sigmoid(1.702 x)), fc2 3072->768, residual }
  -> token 0 -> post_layernorm -> visual_projection MatMul 768->512 (no bias)

Layer norms are written decomposed (ReduceMean/Sub/Pow/Sqrt/Div...), as torch.onnx exports them at opset 14,
so ONNX Runtime applies the same fusions it applies to the real file. What differs from the real export: the
dynamic-shape bookkeeping (Shape/Gather/Concat chains the tracer emits for every Reshape) is replaced by
constant target shapes with -1 for the batch; it costs microseconds, not compute.

Second file, `vision_model_quantized.onnx`: the export's dynamic int8 quantisation as Xenova's conversion
script makes it (onnxruntime.quantization.quantize_dynamic, weight type QUInt8 because the graph has a Conv,
per-channel, reduce_range): every weight MatMul becomes DynamicQuantizeLinear(activation) + MatMulInteger +
Cast + scale Mul, the patch Conv becomes ConvInteger, the position table a quantised Gather + DequantizeLinear.
(The two attention products between activations stay float here: about 1% of the multiply-adds.)

Neither file is ever committed (they are 351 MB and 89 MB and their numbers mean nothing). Needs only Debian's
python3-onnx and python3-numpy; deterministic (seeded). Run from the repository root:

  /usr/bin/python3 scripts/make_random_clip_vision.py [OUT_DIR]      (default target/clip-vit-b32-random)

then e.g.  java -jar ... bench indexing --model target/clip-vit-b32-random/vision_model.onnx --photos DIR
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 14
WIDTH, HEADS, LAYERS, MLP, PATCH, SIDE, EMBED = 768, 12, 12, 3072, 32, 224, 512
TOKENS = (SIDE // PATCH) ** 2 + 1  # 50
HEAD_DIM = WIDTH // HEADS
EPS = 1e-5


class Graph:
    def __init__(self, rng):
        self.rng = rng
        self.nodes = []
        self.inits = []
        self.matmul_id = 1500  # the tracer names transposed Linear weights onnx::MatMul_<n>

    def init(self, name, array):
        self.inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def weight(self, shape, std=0.02):
        return (std * self.rng.standard_normal(shape)).astype(np.float32)

    def const(self, name, value, dtype=np.float32):
        return self.init(name, np.array(value, dtype=dtype))

    def node(self, op, inputs, name, **attrs):
        out = name + "_output_0"
        self.nodes.append(helper.make_node(op, inputs, [out], name=name, **attrs))
        return out

    def linear(self, x, prefix, fan_in, fan_out, bias_name):
        self.matmul_id += 1
        w = self.init("onnx::MatMul_%d" % self.matmul_id, self.weight((fan_in, fan_out)))
        y = self.node("MatMul", [x, w], prefix + "/MatMul")
        if bias_name is None:
            return y
        b = self.init(bias_name, np.zeros(fan_out, np.float32))
        return self.node("Add", [b, y], prefix + "/Add")

    def layer_norm(self, x, prefix, param):
        w = self.init(param + ".weight", np.ones(WIDTH, np.float32))
        b = self.init(param + ".bias", np.zeros(WIDTH, np.float32))
        mean = self.node("ReduceMean", [x], prefix + "/ReduceMean", axes=[-1], keepdims=1)
        centred = self.node("Sub", [x, mean], prefix + "/Sub")
        square = self.node("Pow", [centred, self.const(prefix + "/Constant_output_0", 2.0)], prefix + "/Pow")
        var = self.node("ReduceMean", [square], prefix + "/ReduceMean_1", axes=[-1], keepdims=1)
        var_eps = self.node("Add", [var, self.const(prefix + "/Constant_1_output_0", EPS)], prefix + "/Add")
        std = self.node("Sqrt", [var_eps], prefix + "/Sqrt")
        normed = self.node("Div", [centred, std], prefix + "/Div")
        scaled = self.node("Mul", [normed, w], prefix + "/Mul")
        return self.node("Add", [scaled, b], prefix + "/Add_1")

    def shape(self, name, dims):
        return self.const(name, dims, np.int64)


def vision_tower(seed=1234):
    g = Graph(np.random.RandomState(seed))
    emb = "/vision_model/embeddings"
    conv_w = g.init("vision_model.embeddings.patch_embedding.weight", g.weight((WIDTH, 3, PATCH, PATCH)))
    patches = g.node("Conv", ["pixel_values", conv_w], emb + "/patch_embedding/Conv",
                     kernel_shape=[PATCH, PATCH], strides=[PATCH, PATCH], pads=[0, 0, 0, 0],
                     dilations=[1, 1], group=1)
    flat = g.node("Reshape", [patches, g.shape(emb + "/Constant_output_0", [-1, WIDTH, TOKENS - 1])],
                  emb + "/Reshape")
    seq = g.node("Transpose", [flat], emb + "/Transpose", perm=[0, 2, 1])
    cls = g.init("vision_model.embeddings.class_embedding", g.weight((WIDTH,)))
    batch = g.node("Shape", ["pixel_values"], emb + "/Shape")
    b0 = g.node("Gather", [batch, g.const(emb + "/Constant_1_output_0", 0, np.int64)], emb + "/Gather", axis=0)
    b0u = g.node("Unsqueeze", [b0, g.shape(emb + "/Constant_2_output_0", [0])], emb + "/Unsqueeze")
    target = g.node("Concat", [b0u, g.shape(emb + "/Constant_3_output_0", [1, WIDTH])], emb + "/Concat", axis=0)
    cls3 = g.node("Reshape", [cls, g.shape(emb + "/Constant_4_output_0", [1, 1, WIDTH])], emb + "/Reshape_1")
    cls_b = g.node("Expand", [cls3, target], emb + "/Expand")
    tokens = g.node("Concat", [cls_b, seq], emb + "/Concat_1", axis=1)
    pos_table = g.init("vision_model.embeddings.position_embedding.weight", g.weight((TOKENS, WIDTH)))
    pos_ids = g.const("vision_model.embeddings.position_ids", [list(range(TOKENS))], np.int64)
    pos = g.node("Gather", [pos_table, pos_ids], emb + "/position_embedding/Gather", axis=0)
    h = g.node("Add", [tokens, pos], emb + "/Add")
    h = g.layer_norm(h, "/vision_model/pre_layrnorm", "vision_model.pre_layrnorm")
    for i in range(LAYERS):
        p = "/vision_model/encoder/layers.%d" % i
        n = "vision_model.encoder.layers.%d" % i
        residual = h
        x = g.layer_norm(h, p + "/layer_norm1", n + ".layer_norm1")
        a = p + "/self_attn"
        q = g.linear(x, a + "/q_proj", WIDTH, WIDTH, n + ".self_attn.q_proj.bias")
        q = g.node("Mul", [q, g.const(a + "/Constant_output_0", HEAD_DIM ** -0.5)], a + "/Mul")
        k = g.linear(x, a + "/k_proj", WIDTH, WIDTH, n + ".self_attn.k_proj.bias")
        v = g.linear(x, a + "/v_proj", WIDTH, WIDTH, n + ".self_attn.v_proj.bias")
        split = g.shape(a + "/Constant_1_output_0", [-1, TOKENS, HEADS, HEAD_DIM])
        flat3 = g.shape(a + "/Constant_2_output_0", [-1, TOKENS, HEAD_DIM])
        heads = []
        for j, t in enumerate((q, k, v)):
            r = g.node("Reshape", [t, split], a + "/Reshape_%d" % j)
            tr = g.node("Transpose", [r], a + "/Transpose_%d" % j, perm=[0, 2, 1, 3])
            heads.append(g.node("Reshape", [tr, flat3], a + "/Reshape_%d" % (j + 3)))
        kt = g.node("Transpose", [heads[1]], a + "/Transpose_3", perm=[0, 2, 1])
        scores = g.node("MatMul", [heads[0], kt], a + "/MatMul")
        probs = g.node("Softmax", [scores], a + "/Softmax", axis=-1)
        ctx = g.node("MatMul", [probs, heads[2]], a + "/MatMul_1")
        ctx4 = g.node("Reshape", [ctx, g.shape(a + "/Constant_3_output_0", [-1, HEADS, TOKENS, HEAD_DIM])],
                      a + "/Reshape_6")
        ctxt = g.node("Transpose", [ctx4], a + "/Transpose_4", perm=[0, 2, 1, 3])
        merged = g.node("Reshape", [ctxt, g.shape(a + "/Constant_4_output_0", [-1, TOKENS, WIDTH])], a + "/Reshape_7")
        out = g.linear(merged, a + "/out_proj", WIDTH, WIDTH, n + ".self_attn.out_proj.bias")
        h = g.node("Add", [residual, out], p + "/Add")
        residual = h
        x = g.layer_norm(h, p + "/layer_norm2", n + ".layer_norm2")
        x = g.linear(x, p + "/mlp/fc1", WIDTH, MLP, n + ".mlp.fc1.bias")
        act = p + "/mlp/activation_fn"
        s = g.node("Sigmoid", [g.node("Mul", [x, g.const(act + "/Constant_output_0", 1.702)], act + "/Mul")],
                   act + "/Sigmoid")
        x = g.node("Mul", [x, s], act + "/Mul_1")
        x = g.linear(x, p + "/mlp/fc2", MLP, WIDTH, n + ".mlp.fc2.bias")
        h = g.node("Add", [residual, x], p + "/Add_1")
    g.nodes.append(helper.make_node("Identity", [h], ["last_hidden_state"], name="/vision_model/Identity"))
    first = g.node("Gather", [h, g.const("/vision_model/Constant_output_0", 0, np.int64)], "/vision_model/Gather",
                   axis=1)
    pooled = g.layer_norm(first, "/vision_model/post_layernorm", "vision_model.post_layernorm")
    embeds = g.linear(pooled, "/visual_projection", WIDTH, EMBED, None)
    g.nodes.append(helper.make_node("Identity", [embeds], ["image_embeds"], name="/Identity"))
    graph = helper.make_graph(
        g.nodes, "main_graph",
        [helper.make_tensor_value_info("pixel_values", TensorProto.FLOAT,
                                       ["batch_size", "num_channels", "height", "width"])],
        [helper.make_tensor_value_info("image_embeds", TensorProto.FLOAT, ["batch_size", EMBED]),
         helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT,
                                       ["batch_size", "sequence_length", WIDTH])],
        g.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="pytorch", producer_version="2.0.1")
    return model


def quantise_uint8(w, axis):
    """Asymmetric uint8, 7-bit range (reduce_range), per channel along `axis` (None: per tensor)."""
    reduce = tuple(i for i in range(w.ndim) if i != axis) if axis is not None else None
    lo = np.minimum(w.min(axis=reduce), 0.0)
    hi = np.maximum(w.max(axis=reduce), 0.0)
    scale = np.maximum((hi - lo) / 127.0, 1e-8).astype(np.float32)
    zero = np.clip(np.round(-lo / scale), 0, 127).astype(np.uint8)
    shape = [1] * w.ndim
    if axis is not None:
        shape[axis] = -1
    q = np.clip(np.round(w / scale.reshape(shape)) + zero.reshape(shape), 0, 127).astype(np.uint8)
    return q, scale, zero


def quantised(model):
    """onnxruntime's quantize_dynamic (QOperator format) applied to the weight MatMuls, the Conv and the Gather."""
    inits = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    used = set()
    new_inits = []
    nodes = []
    activations = {}

    def add_init(name, array):
        new_inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def dynamic(x):
        if x not in activations:
            names = (x + "_quantized", x + "_scale", x + "_zero_point")
            nodes.append(helper.make_node("DynamicQuantizeLinear", [x], list(names), name=x + "_QuantizeLinear"))
            activations[x] = names
        return activations[x]

    def rescale(node, raw, x_scale, w_scale):
        cast = raw + "_cast"
        nodes.append(helper.make_node("Cast", [raw], [cast], name=node.name + "_quant_output_cast",
                                      to=TensorProto.FLOAT))
        scales = node.name + "_quant_scales_mul:0"
        nodes.append(helper.make_node("Mul", [x_scale, w_scale], [scales], name=node.name + "_quant_scales_mul"))
        nodes.append(helper.make_node("Mul", [cast, scales], [node.output[0]],
                                      name=node.name + "_quant_output_scale_mul"))

    for node in model.graph.node:
        if node.op_type == "MatMul" and node.input[1] in inits:
            w = node.input[1]
            q, scale, zero = quantise_uint8(inits[w], axis=1)
            used.add(w)
            xq, xs, xz = dynamic(node.input[0])
            add_init(w + "_quantized", q)
            add_init(w + "_scale", scale)
            add_init(w + "_zero_point", zero)
            raw = node.output[0] + "_output_quantized"
            nodes.append(helper.make_node("MatMulInteger", [xq, w + "_quantized", xz, w + "_zero_point"], [raw],
                                          name=node.name + "_quant"))
            rescale(node, raw, xs, w + "_scale")
        elif node.op_type == "Conv" and node.input[1] in inits:
            w = node.input[1]
            q, scale, zero = quantise_uint8(inits[w], axis=None)
            used.add(w)
            xq, xs, xz = dynamic(node.input[0])
            add_init(w + "_quantized", q)
            add_init(w + "_scale", scale)
            add_init(w + "_zero_point", zero)
            raw = node.output[0] + "_output_quantized"
            attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
            nodes.append(helper.make_node("ConvInteger", [xq, w + "_quantized", xz, w + "_zero_point"], [raw],
                                          name=node.name + "_quant", **attrs))
            rescale(node, raw, xs, w + "_scale")
        elif node.op_type == "Gather" and node.input[0] in inits and inits[node.input[0]].dtype == np.float32 \
                and inits[node.input[0]].ndim == 2:
            w = node.input[0]
            q, scale, zero = quantise_uint8(inits[w], axis=None)
            used.add(w)
            add_init(w + "_quantized", q)
            add_init(w + "_scale", scale)
            add_init(w + "_zero_point", zero)
            gathered = node.output[0] + "_quantized"
            attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
            nodes.append(helper.make_node("Gather", [w + "_quantized", node.input[1]], [gathered],
                                          name=node.name + "_quant", **attrs))
            nodes.append(helper.make_node("DequantizeLinear", [gathered, w + "_scale", w + "_zero_point"],
                                          [node.output[0]], name=node.name + "_DequantizeLinear"))
        else:
            nodes.append(node)
    kept = [t for t in model.graph.initializer if t.name not in used]
    graph = helper.make_graph(nodes, model.graph.name, list(model.graph.input), list(model.graph.output),
                              kept + new_inits)
    out = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET),
                                                  helper.make_opsetid("com.microsoft", 1)],
                            producer_name="onnx.quantize", producer_version="0.1.0")
    return out


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join("target", "clip-vit-b32-random")
    os.makedirs(out_dir, exist_ok=True)
    model = vision_tower()
    onnx.checker.check_model(model)
    params = sum(int(np.prod(t.dims)) for t in model.graph.initializer if t.data_type == TensorProto.FLOAT)
    fp32 = os.path.join(out_dir, "vision_model.onnx")
    onnx.save(model, fp32)
    print("%s: %d float parameters, %d bytes" % (fp32, params, os.path.getsize(fp32)))
    q = quantised(model)
    onnx.checker.check_model(q)
    int8 = os.path.join(out_dir, "vision_model_quantized.onnx")
    onnx.save(q, int8)
    print("%s: %d bytes" % (int8, os.path.getsize(int8)))


if __name__ == "__main__":
    main()
