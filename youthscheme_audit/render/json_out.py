"""JSON: the JSON result (see schema/report.schema.json), written with orjson.

Each control's text is written once, in ``controls`` (``report.json_result``). A batch
result is written scheme by scheme, one compact line each, so a register of 20,000
schemes streams to disk instead of being built as one giant string; a single scheme's
report is indented. orjson writes UTF-8 bytes (non-ASCII text as is, never escaped),
about ten times faster than the standard library's encoder on the same dicts, so the
writer takes a binary handle.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any, BinaryIO

import orjson

from youthscheme_audit.report import json_result

INDENT = orjson.OPT_INDENT_2


def dumps(data: Any, option: int = 0) -> bytes:
    """``data`` as JSON. A lone surrogate (how Python keeps a file name's undecodable
    byte) is not UTF-8 and orjson refuses it: such text is written with U+FFFD instead."""
    try:
        return orjson.dumps(data, option=option)
    except orjson.JSONEncodeError:
        return orjson.dumps(_no_surrogates(data), option=option)


def _no_surrogates(node: Any) -> Any:
    if isinstance(node, str):
        return node.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    if isinstance(node, dict):
        return {_no_surrogates(k): _no_surrogates(v) for k, v in node.items()}
    if isinstance(node, list | tuple):
        return [_no_surrogates(v) for v in node]
    return node


def write(report: dict[str, Any], out: BinaryIO) -> None:
    """Write the report as JSON; ``report["schemes"]`` may be a one-shot iterator."""
    report = json_result(report)
    if report["kind"] != "batch":
        out.write(dumps({**report, "schemes": list(report["schemes"])}, INDENT) + b"\n")
        return
    head = {k: v for k, v in report.items() if k not in ("schemes", "data_quality")}
    out.write(dumps(head, INDENT)[:-2] + b',\n  "schemes": [')
    for n, scheme in enumerate(report["schemes"]):
        out.write((b"\n    " if n == 0 else b",\n    ") + dumps(scheme))
    out.write(b'\n  ],\n  "data_quality": ' + dumps(report["data_quality"]) + b"\n}\n")


def render(report: dict[str, Any]) -> str:
    """The report as JSON text."""
    buffer = BytesIO()
    write(report, buffer)
    return buffer.getvalue().decode("utf-8")


def text(data: Any) -> str:
    """Any other JSON the tool writes (an index, a comparison), indented, as text."""
    return dumps(data, INDENT).decode("utf-8") + "\n"
