#!/usr/bin/python3
"""Writes the stand-in multilingual CLIP text tower used by Ocular's tests:
src/test/resources/models/multilingual-standin/.

The real tower (sentence-transformers/clip-ViT-B-32-multilingual-v1) is a 135 MB quantised
DistilBERT plus a 768->512 Dense layer; tests need something with exactly its signature that is
small, deterministic and *meaningful* in the stand-in CLIP's space (scripts/make_standin_clip.py),
so that a Korean query and its English equivalent retrieve the same stand-in photos through
Ocular's own pooling and projection code:

  text_model.onnx        input_ids int64 [batch_size,sequence_length],
                         attention_mask int64 [batch_size,sequence_length]
                         -> last_hidden_state float32 [batch_size,sequence_length,768]
                         (the transformer only, as in the real export: no pooling, no projection)
                         hidden(token) = concept one-hot of the token's real WordPiece id on three
                         "colour" dimensions + a fourth "dog" dimension, plus small sinusoidal
                         features of the id on every dimension. [PAD] (id 0) gets a large vector on
                         the green dimension, so pooling that ignores the attention mask is caught.
  text_model_int32.onnx  the same with int32 input_ids and attention_mask (some exports use int32).
  dense.safetensors      linear.weight F32 [512,768] (no bias), safetensors format as in
                         2_Dense/model.safetensors: maps the colour dimensions onto the stand-in
                         CLIP's colour axes (read from clip-standin/vision_model.onnx) and the rest
                         onto small random directions.
  tokenizer.json         the real tokenizer.json's normaliser, pre-tokeniser, post-processor and
                         WordPiece settings with a vocabulary cut down to the special tokens and the
                         pieces of the words below (with their real ids; greedy longest-match on a
                         subset of the vocabulary gives the same pieces as on the whole one).

Concepts (real meaning, so tests read naturally): "beach"/"sea"/"바닷가"/"바다"/"blue"/"파란" ->
blue axis; "red"/"빨간" -> red axis; "green"/"초록" -> green axis; "dog"/"강아지" -> dog dim.

Needs python3-onnx and python3-numpy (Debian) and, to read the real vocabulary, the shared
tokenizer ../shared/models/clip-multilingual-tokenizer/tokenizer.json. Every run writes
byte-identical files (seeded numpy RandomState).

Run from the repository root:  /usr/bin/python3 scripts/make_standin_multilingual.py
"""
import json
import os
import struct
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join("src", "test", "resources", "models", "multilingual-standin")
CLIP_VISION = os.path.join("src", "test", "resources", "models", "clip-standin", "vision_model.onnx")
REAL_TOKENIZER = os.path.join("..", "shared", "models", "clip-multilingual-tokenizer", "tokenizer.json")
HIDDEN = 768
DIM = 512
OPSET = 13
PAD, UNK, CLS, SEP, MASK = 0, 100, 101, 102, 103

CONCEPTS = {
    "red": ["red", "빨간"],
    "green": ["green", "초록"],
    "blue": ["blue", "파란", "beach", "sea", "바닷가", "바다"],
    "dog": ["dog", "강아지"],
}
# Other words the tests use (neutral tokens).
OTHER = ["a", "photo", "of", "the", "on", "playing", "at", "car", "자동차", "바닷가의", "바닷가에서",
         "뛰어노는", "의", "에서", "사진", "in", "and", "cat", "고양이", "seaside", "puppy", "Strand", "Hund",
         "am", "der", "海边的小狗", "海", "边", "的", "小", "狗", "犬", "浜辺", "の"]


def wordpiece(word, vocab):
    """Greedy longest-match-first WordPiece of one pre-token (no punctuation inside)."""
    pieces, start = [], 0
    while start < len(word):
        end, found = len(word), None
        while start < end:
            sub = word[start:end] if start == 0 else "##" + word[start:end]
            if sub in vocab:
                found = sub
                break
            end -= 1
        if found is None:
            return ["[UNK]"]
        pieces.append(found)
        start = end
    return pieces


def pre_tokens(text):
    """BertPreTokenizer on words without punctuation, after handle_chinese_chars."""
    out = []
    for ch in text:
        if 0x4E00 <= ord(ch) <= 0x9FFF:
            out.append(" " + ch + " ")
        else:
            out.append(ch)
    return "".join(out).split()


def axes_from_clip_standin():
    """The stand-in CLIP's red, green, blue axes (rows of its initializer A, 4 * axes)."""
    model = onnx.load(CLIP_VISION)
    a = next(numpy_helper.to_array(t) for t in model.graph.initializer if t.name == "A")
    return (a / np.linalg.norm(a, axis=1, keepdims=True)).astype(np.float32)  # [3, 512]


def concept_table(vocab):
    """{token id: concept index} for every piece of every concept word; and the ids of the other words."""
    index = {"red": 0, "green": 1, "blue": 2, "dog": 3}
    concept_of = {}
    for concept, words in CONCEPTS.items():
        for w in words:
            for t in pre_tokens(w):
                for p in wordpiece(t, vocab):
                    concept_of.setdefault(vocab[p], index[concept])
    others = set()
    for w in OTHER:
        for t in pre_tokens(w):
            for p in wordpiece(t, vocab):
                others.add(p)
    return concept_of, others


def text_model(concept_of, rng, id_type):
    ids = sorted(concept_of)
    k = len(ids)
    table = np.zeros((k + 1, HIDDEN), np.float32)  # row k: [PAD]
    for row, tid in enumerate(ids):
        table[row, concept_of[tid]] = 1.0
    table[k, 1] = 50.0  # [PAD] -> huge "green": only mask-aware pooling ignores it
    known = np.array(ids + [PAD], np.int64 if id_type == TensorProto.INT64 else np.int32)
    freqs = rng.uniform(0.0005, 0.03, HIDDEN).astype(np.float32)
    phases = rng.uniform(0, 2 * np.pi, HIDDEN).astype(np.float32)
    inits = [numpy_helper.from_array(known, "known_ids"), numpy_helper.from_array(table, "table"),
             numpy_helper.from_array(freqs, "freqs"), numpy_helper.from_array(phases, "phases"),
             numpy_helper.from_array(np.array([-1], np.int64), "axm1"),
             numpy_helper.from_array(np.array(0.02, np.float32), "small"),
             numpy_helper.from_array(np.array(0.0, np.float32), "zero")]
    nodes = [
        helper.make_node("Unsqueeze", ["input_ids", "axm1"], ["ids3"]),
        helper.make_node("Equal", ["ids3", "known_ids"], ["hit"]),          # [N,S,K+1]
        helper.make_node("Cast", ["hit"], ["hitf"], to=TensorProto.FLOAT),
        helper.make_node("MatMul", ["hitf", "table"], ["concepts"]),       # [N,S,768]
        helper.make_node("Cast", ["ids3"], ["idsf"], to=TensorProto.FLOAT),
        helper.make_node("Mul", ["idsf", "freqs"], ["angle0"]),
        helper.make_node("Add", ["angle0", "phases"], ["angle"]),
        helper.make_node("Sin", ["angle"], ["waves"]),
        helper.make_node("Mul", ["waves", "small"], ["noise"]),
        helper.make_node("Add", ["concepts", "noise"], ["h0"]),
        # The mask is an input of the real export; the stand-in reads it without letting it change
        # anything (the real transformer's hidden states at padded positions are not zero either).
        helper.make_node("Cast", ["attention_mask"], ["maskf"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["maskf", "axm1"], ["mask3"]),
        helper.make_node("Mul", ["mask3", "zero"], ["mask0"]),
        helper.make_node("Add", ["h0", "mask0"], ["last_hidden_state"]),
    ]
    seq = ["batch_size", "sequence_length"]
    graph = helper.make_graph(
        nodes, "multilingual_standin_text",
        [helper.make_tensor_value_info("input_ids", id_type, seq),
         helper.make_tensor_value_info("attention_mask", id_type, seq)],
        [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, seq + [HIDDEN])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="ocular make_standin_multilingual.py")
    model.ir_version = 7
    onnx.checker.check_model(model)
    return model


def dense_weight(axes, rng):
    w = (0.01 * rng.standard_normal((DIM, HIDDEN))).astype(np.float32)
    w[:, 0:3] = axes.T
    dog = rng.standard_normal(DIM).astype(np.float32)
    dog -= axes.T @ (axes @ dog)  # orthogonal to the colour axes: images never point that way
    w[:, 3] = 0.5 * dog / np.linalg.norm(dog)
    return w


def write_safetensors(path, tensors, metadata):
    """The safetensors format: u64 LE header length, JSON header (padded with spaces to 8 bytes), data."""
    header, offset, blobs = {"__metadata__": metadata}, 0, []
    for name, array in tensors.items():
        data = np.ascontiguousarray(array, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def tiny_tokenizer(real, keep):
    vocab = real["model"]["vocab"]
    small = {t: vocab[t] for t in sorted(keep, key=lambda t: vocab[t])}
    tok = {k: v for k, v in real.items() if k != "model"}
    tok["added_tokens"] = [t for t in real["added_tokens"] if t["id"] in (PAD, UNK, CLS, SEP, MASK)]
    tok["model"] = dict(real["model"], vocab=small)
    return tok


def main():
    with open(REAL_TOKENIZER, encoding="utf-8") as f:
        real = json.load(f)
    vocab = real["model"]["vocab"]
    concept_of, others = concept_table(vocab)
    axes = axes_from_clip_standin()
    os.makedirs(OUT, exist_ok=True)
    onnx.save(text_model(concept_of, np.random.RandomState(3), TensorProto.INT64),
              os.path.join(OUT, "text_model.onnx"))
    onnx.save(text_model(concept_of, np.random.RandomState(3), TensorProto.INT32),
              os.path.join(OUT, "text_model_int32.onnx"))
    write_safetensors(os.path.join(OUT, "dense.safetensors"),
                      {"linear.weight": dense_weight(axes, np.random.RandomState(4))},
                      {"format": "pt", "note": "Ocular stand-in, not trained"})
    inverse = {v: k for k, v in vocab.items()}
    keep = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"} | others | {inverse[i] for i in concept_of}
    with open(os.path.join(OUT, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tiny_tokenizer(real, keep), f, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        f.write("\n")
    for name in sorted(os.listdir(OUT)):
        print(f"{name:28s} {os.path.getsize(os.path.join(OUT, name)):8d} bytes", file=sys.stderr)
    print("concept pieces:", {inverse[i]: c for i, c in sorted(concept_of.items())}, file=sys.stderr)


if __name__ == "__main__":
    main()
