#!/usr/bin/env python3
"""Generates the tiny ONNX test models under src/test/resources/io/ocular/embed/.

Needs the `onnx` and `numpy` Python packages (Debian: apt-get install python3-onnx).
Run from the repository root:  /usr/bin/python3 scripts/make-test-onnx.py

- tiny-cnn-features.onnx: a CNN-features look-alike of the MobileNetV2 model: input `input` float32
  [N,3,H,W], output `global_features` float32 [N,8,H/32,W/32] (one 4x4 convolution with stride 32,
  then ReLU). Lets the encoder and model-store tests run without the shared models.
- not-an-encoder.onnx: a valid ONNX graph that is no image encoder (input `x` [N,4] -> Relu -> `y`).
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join("src", "test", "resources", "io", "ocular", "embed")


def tiny_cnn():
    rng = np.random.default_rng(42)
    w = rng.normal(0.0, 0.5, size=(8, 3, 4, 4)).astype(np.float32)
    b = rng.normal(0.0, 0.1, size=(8,)).astype(np.float32)
    conv = helper.make_node("Conv", ["input", "w", "b"], ["conv"], kernel_shape=[4, 4], strides=[32, 32])
    relu = helper.make_node("Relu", ["conv"], ["global_features"])
    graph = helper.make_graph(
        [conv, relu], "tiny-cnn-features",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 3, "H", "W"])],
        [helper.make_tensor_value_info("global_features", TensorProto.FLOAT, ["N", 8, "h", "w"])],
        initializer=[numpy_helper.from_array(w, "w"), numpy_helper.from_array(b, "b")])
    return graph


def not_an_encoder():
    relu = helper.make_node("Relu", ["x"], ["y"])
    return helper.make_graph(
        [relu], "not-an-encoder",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 4])])


def save(graph, name):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 12)], producer_name="ocular-tests")
    model.ir_version = 7
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(OUT, name))


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    save(tiny_cnn(), "tiny-cnn-features.onnx")
    save(not_an_encoder(), "not-an-encoder.onnx")
