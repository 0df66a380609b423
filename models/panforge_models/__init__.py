"""PanForge pansharpening networks: PyTorch training and ONNX export.

Modules (each runnable as ``python -m panforge_models.<x> --config configs/<name>.yaml``):
``data`` (Wald-protocol patches), ``train``, ``export`` (ONNX + manifest + parity fixture),
``evaluate`` (Python-side validation metrics). Networks live in ``panforge_models.nets``.
"""

__version__ = "0.1.0"
