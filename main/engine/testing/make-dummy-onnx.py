#!/usr/bin/env python3
"""Writes a tiny fusion network in ONNX for engine tests: the PanForge model contract without training.

fused = Resize(ms, x4, linear, half_pixel) + Conv5x5(pan - mean_kernel(pan)) * gain, one output per MS band.
It is local (receptive field 2 PAN px + one MS pixel), so a tiled run equals a whole-image run away from borders.

Usage: make-dummy-onnx.py OUT.onnx BANDS
Inputs: ms float32 [N, B, h, w], pan float32 [N, 1, 4h, 4w]; output: fused float32 [N, B, 4h, 4w]; opset 17.
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def main(out_path: str, bands: int) -> None:
    rng = np.random.default_rng(1234)
    # A high-pass PAN kernel (sums to ~0) with a different gain per band, so bands differ.
    base = rng.normal(0.0, 0.05, size=(5, 5)).astype(np.float32)
    base -= base.mean()
    weights = np.stack([base * (0.5 + 0.25 * b) for b in range(bands)])[:, None, :, :].astype(np.float32)
    nodes = [
        helper.make_node("Resize", ["ms", "", "scales"], ["ms_up"], mode="linear",
                         coordinate_transformation_mode="half_pixel"),
        helper.make_node("Conv", ["pan", "w"], ["detail"], pads=[2, 2, 2, 2]),
        helper.make_node("Add", ["ms_up", "detail"], ["fused"]),
    ]
    graph = helper.make_graph(
        nodes,
        "dummy_fusion",
        [helper.make_tensor_value_info("ms", TensorProto.FLOAT, ["N", bands, "h", "w"]),
         helper.make_tensor_value_info("pan", TensorProto.FLOAT, ["N", 1, "H", "W"])],
        [helper.make_tensor_value_info("fused", TensorProto.FLOAT, ["N", bands, "H", "W"])],
        [numpy_helper.from_array(np.array([1, 1, 4, 4], dtype=np.float32), "scales"),
         numpy_helper.from_array(weights, "w")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="panforge-tests")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, out_path)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
