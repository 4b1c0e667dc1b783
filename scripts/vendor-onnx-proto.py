#!/usr/bin/env python3
"""Writes src/models/onnx-schema.ts from the official onnx.proto (Debian's python3-onnx ships it), verbatim."""
import sys, pathlib
src = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/lib/python3/dist-packages/onnx/onnx.proto")
text = src.read_text()
escaped = text.replace("\\", "\\\\").replace("`", "\\`").replace("${", "\\${")
out = pathlib.Path(__file__).resolve().parent.parent / "src" / "models" / "onnx-schema.ts"
out.write_text(
    "/**\n"
    " * The ONNX protobuf schema, verbatim from the ONNX project's onnx/onnx.proto (Apache-2.0; this copy from Debian's\n"
    " * python3-onnx 1.12.0), written by scripts/vendor-onnx-proto.py. protobufjs parses it at the first ONNX import: a\n"
    " * string rather than a file, so the browser bundle carries it too.\n"
    " */\n"
    f"export const ONNX_PROTO = `{escaped}`;\n"
)
print(f"wrote {out} ({len(text)} characters of {src})")
