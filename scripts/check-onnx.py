#!/usr/bin/python3
"""Validate ONNX files with the onnx checker (full_check=True) and strict shape inference.

Usage: /usr/bin/python3 scripts/check-onnx.py FILE...
Exit status: 0 when every file passes, 1 when any file fails, 2 on usage errors or when the
onnx package is missing. Uses Debian's python3-onnx (1.12), which accepts IR 8 / opset <= 17 /
ai.onnx.ml <= 3, the versions our exporter writes.
"""
import sys


def main(paths):
    if not paths:
        print("usage: check-onnx.py FILE...", file=sys.stderr)
        return 2
    try:
        import onnx
    except ImportError as err:
        print(f"onnx is not installed for {sys.executable}: {err}", file=sys.stderr)
        return 2
    failed = 0
    for path in paths:
        try:
            model = onnx.load(path)
            onnx.checker.check_model(model, full_check=True)
            onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
            opsets = ", ".join(f"{o.domain or 'ai.onnx'} {o.version}" for o in model.opset_import)
            print(f"OK   {path} (ir {model.ir_version}; {opsets}; {len(model.graph.node)} nodes)")
        except Exception as err:  # noqa: BLE001 - report every failure, then exit non-zero
            failed += 1
            print(f"FAIL {path}: {type(err).__name__}: {err}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
