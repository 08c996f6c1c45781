#!/usr/bin/python3
"""Writes the stand-in CLIP used by Ocular's tests: src/test/resources/models/clip-standin/.

The real CLIP ViT-B/32 towers are ~600 MB; tests need something with exactly their signature
(Xenova/clip-vit-base-patch32 layout) that is small, deterministic and *meaningful enough* to
check the plumbing end to end:

  vision_model.onnx   pixel_values float32 [batch_size,3,224,224] -> image_embeds float32 [batch_size,512]
                      embedding = chromaticity (channel means minus their grey level, after undoing the
                      CLIP normalisation) on three fixed "colour axes" + grey level on a fourth axis +
                      2x2 quadrant means (small weight), so a red image points along the red axis.
  text_model.onnx     input_ids int64 [batch_size,sequence_length], attention_mask int64 (same shape)
                      -> text_embeds float32 [batch_size,512]
                      embedding = counts of the real CLIP token ids for "red"/"green"/"blue" (736, 1901,
                      1746), centred, on the same colour axes + a masked mean of sinusoidal features of all
                      token ids (small weight), so "a red car" points along the red axis.
  text_model_ids_only.onnx   same, with input_ids only (the Xenova export has no attention_mask input).
  text_model_int32.onnx      same as text_model.onnx with int32 input_ids/attention_mask (some exports use int32).
  vision_model_dim256.onnx   a broken model: image_embeds of width 256 (for the load-time check).
  tokenizer.json      a tiny tokenizer in Hugging Face format with CLIP's normaliser, pre-tokeniser,
                      post-processor and byte-level BPE, CLIP's ids for all 512 byte symbols and for the
                      colour words, <|startoftext|>=49406, <|endoftext|>=49407, and nine merges only.
                      (The real 2.3 MB tokenizer lives in ../shared and is used by the parity tests; the
                      tiny one keeps the end-to-end tests independent of ../shared and the repo small.)

Nothing here is trained: the weights come from numpy's seeded legacy RandomState, so every run
writes byte-identical files. Needs only python3-onnx and python3-numpy (Debian packages); no torch.

Run from the repository root:  /usr/bin/python3 scripts/make_standin_clip.py
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join("src", "test", "resources", "models", "clip-standin")
DIM = 512
VOCAB = 49408
CONTEXT = 77
SOT, EOT = 49406, 49407
MEAN = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
STD = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)
# Real CLIP BPE ids (vocab.json of openai/clip-vit-base-patch32).
RED, GREEN, BLUE = 736, 1901, 1746
OPSET = 13


def const(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def colour_axes(rng):
    """Three orthonormal colour axes plus a grey axis, in 512 dimensions."""
    q, _ = np.linalg.qr(rng.standard_normal((DIM, 4)))
    return q.T.astype(np.float32)  # [4, 512]


def vision_model(axes, rng, dim=DIM):
    a = np.zeros((3, dim), np.float32)
    a[:, :] = 4.0 * axes[:3, :dim]
    b = axes[3:4, :dim].copy()
    c = (0.005 * rng.standard_normal((12, dim))).astype(np.float32)
    nodes = [
        helper.make_node("AveragePool", ["pixel_values"], ["quad"], kernel_shape=[112, 112], strides=[112, 112]),
        helper.make_node("ReduceMean", ["quad"], ["mnorm"], axes=[2, 3], keepdims=0),
        helper.make_node("Mul", ["mnorm", "std"], ["mscaled"]),
        helper.make_node("Add", ["mscaled", "mean"], ["raw"]),
        helper.make_node("ReduceMean", ["raw"], ["grey"], axes=[1], keepdims=1),
        helper.make_node("Sub", ["raw", "grey"], ["chroma"]),
        helper.make_node("Flatten", ["quad"], ["quadflat"], axis=1),
        helper.make_node("MatMul", ["chroma", "A"], ["e1"]),
        helper.make_node("MatMul", ["grey", "B"], ["e2"]),
        helper.make_node("MatMul", ["quadflat", "C"], ["e3"]),
        helper.make_node("Add", ["e1", "e2"], ["e12"]),
        helper.make_node("Add", ["e12", "e3"], ["image_embeds"]),
    ]
    graph = helper.make_graph(
        nodes, "clip_standin_vision",
        [helper.make_tensor_value_info("pixel_values", TensorProto.FLOAT, ["batch_size", 3, 224, 224])],
        [helper.make_tensor_value_info("image_embeds", TensorProto.FLOAT, ["batch_size", dim])],
        [const("std", STD), const("mean", MEAN), const("A", a), const("B", b), const("C", c)])
    return finish(graph)


def text_model(axes, rng, with_mask):
    freqs = (rng.uniform(0.001, 0.05, 16)).astype(np.float32)
    phases = (rng.uniform(0, 2 * np.pi, 16)).astype(np.float32)
    h = (0.02 * rng.standard_normal((16, DIM))).astype(np.float32)
    a = (4.0 * axes[:3]).astype(np.float32)
    nodes = [helper.make_node("Cast", ["input_ids"], ["idsf"], to=TensorProto.FLOAT)]
    inits = [const("freqs", freqs), const("phases", phases), const("H", h), const("A", a),
             const("ax1", np.array([1], np.int64)), const("axm1", np.array([-1], np.int64)),
             const("eot", np.array(EOT, np.int64))]
    inputs = [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch_size", "sequence_length"])]
    if with_mask:
        inputs.append(helper.make_tensor_value_info("attention_mask", TensorProto.INT64,
                                                    ["batch_size", "sequence_length"]))
        nodes.append(helper.make_node("Cast", ["attention_mask"], ["maskf"], to=TensorProto.FLOAT))
    else:
        # No mask input (as in the Xenova export): every token before the first pad/end token counts.
        nodes += [helper.make_node("Less", ["input_ids", "eot"], ["maskb"]),
                  helper.make_node("Cast", ["maskb"], ["maskf"], to=TensorProto.FLOAT)]
    hits = []
    for name, tid in (("red", RED), ("green", GREEN), ("blue", BLUE)):
        inits.append(const("id_" + name, np.array(tid, np.int64)))
        nodes += [helper.make_node("Equal", ["input_ids", "id_" + name], ["eq_" + name]),
                  helper.make_node("Cast", ["eq_" + name], ["eqf_" + name], to=TensorProto.FLOAT),
                  helper.make_node("Mul", ["eqf_" + name, "maskf"], ["hit_" + name]),
                  helper.make_node("ReduceSum", ["hit_" + name, "ax1"], ["cnt_" + name], keepdims=1)]
        hits.append("cnt_" + name)
    nodes += [
        helper.make_node("Concat", hits, ["counts"], axis=1),
        helper.make_node("ReduceMean", ["counts"], ["cmean"], axes=[1], keepdims=1),
        helper.make_node("Sub", ["counts", "cmean"], ["colour"]),
        helper.make_node("MatMul", ["colour", "A"], ["e1"]),
        helper.make_node("Unsqueeze", ["idsf", "axm1"], ["ids3"]),
        helper.make_node("Mul", ["ids3", "freqs"], ["angle0"]),
        helper.make_node("Add", ["angle0", "phases"], ["angle"]),
        helper.make_node("Sin", ["angle"], ["waves"]),
        helper.make_node("Unsqueeze", ["maskf", "axm1"], ["mask3"]),
        helper.make_node("Mul", ["waves", "mask3"], ["wm"]),
        helper.make_node("ReduceSum", ["wm", "ax1"], ["wsum"], keepdims=0),
        helper.make_node("ReduceSum", ["maskf", "ax1"], ["msum"], keepdims=1),
        helper.make_node("Max", ["msum", "one"], ["msafe"]),
        helper.make_node("Div", ["wsum", "msafe"], ["feat"]),
        helper.make_node("MatMul", ["feat", "H"], ["e2"]),
        helper.make_node("Add", ["e1", "e2"], ["text_embeds"]),
    ]
    inits.append(const("one", np.array([1.0], np.float32)))
    graph = helper.make_graph(
        nodes, "clip_standin_text", inputs,
        [helper.make_tensor_value_info("text_embeds", TensorProto.FLOAT, ["batch_size", DIM])], inits)
    return finish(graph)


def with_int32_inputs(model):
    """The same graph taking int32 ids and mask: each input is cast to int64 first."""
    m = onnx.ModelProto()
    m.CopyFrom(model)
    g = m.graph
    casts = []
    for inp in g.input:
        if inp.type.tensor_type.elem_type == TensorProto.INT64:
            inp.type.tensor_type.elem_type = TensorProto.INT32
            for node in g.node:
                node.input[:] = [inp.name + "_i64" if x == inp.name else x for x in node.input]
            casts.append(helper.make_node("Cast", [inp.name], [inp.name + "_i64"], to=TensorProto.INT64))
    nodes = casts + list(g.node)
    del g.node[:]
    g.node.extend(nodes)
    onnx.checker.check_model(m)
    return m


def finish(graph):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="ocular make_standin_clip.py")
    model.ir_version = 7
    onnx.checker.check_model(model)
    return model


def bytes_to_unicode():
    """CLIP's / GPT-2's reversible byte -> printable-unicode table."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return [chr(c) for c in cs]


def tokenizer_json():
    symbols = bytes_to_unicode()
    vocab = {s: i for i, s in enumerate(symbols)}
    vocab.update({s + "</w>": 256 + i for i, s in enumerate(symbols)})
    # Merge results carry their real CLIP ids, so "red", "green", "blue" get the ids the stand-in
    # text model (and the real one) know. Order matters: "green" must not lose its "r" to "r e".
    merged = [("g r", "gr", 709), ("gr e", "gre", 689), ("gre e", "gree", 9987), ("gree n</w>", "green</w>", 1901),
              ("r e", "re", 515), ("re d</w>", "red</w>", 736),
              ("b l", "bl", 833), ("bl u", "blu", 1263), ("blu e</w>", "blue</w>", 1746)]
    for _, token, tid in merged:
        vocab[token] = tid
    vocab["<|startoftext|>"] = SOT
    vocab["<|endoftext|>"] = EOT
    special = dict(single_word=False, lstrip=False, rstrip=False, special=True)
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [dict(id=SOT, content="<|startoftext|>", normalized=True, **special),
                         dict(id=EOT, content="<|endoftext|>", normalized=False, **special)],
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "NFC"},
            {"type": "Replace", "pattern": {"Regex": "\\s+"}, "content": " "},
            {"type": "Lowercase"}]},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d"
                                                   "|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+"},
             "behavior": "Removed", "invert": True},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}]},
        "post_processor": {"type": "RobertaProcessing", "sep": ["<|endoftext|>", EOT],
                           "cls": ["<|startoftext|>", SOT], "trim_offsets": False, "add_prefix_space": False},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": "<|endoftext|>", "continuing_subword_prefix": "",
                  "end_of_word_suffix": "</w>", "fuse_unk": False, "byte_fallback": False,
                  "vocab": vocab, "merges": [m for m, _, _ in merged]},
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.RandomState(20261127)
    axes = colour_axes(rng)
    models = {
        "vision_model.onnx": vision_model(axes, np.random.RandomState(1)),
        "vision_model_dim256.onnx": vision_model(axes, np.random.RandomState(1), dim=256),
        "text_model.onnx": text_model(axes, np.random.RandomState(2), with_mask=True),
        "text_model_ids_only.onnx": text_model(axes, np.random.RandomState(2), with_mask=False),
    }
    models["text_model_int32.onnx"] = with_int32_inputs(models["text_model.onnx"])
    for name, model in models.items():
        onnx.save(model, os.path.join(OUT, name))
    with open(os.path.join(OUT, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer_json(), f, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        f.write("\n")
    for name in sorted(os.listdir(OUT)):
        print(f"{name:28s} {os.path.getsize(os.path.join(OUT, name)):8d} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
