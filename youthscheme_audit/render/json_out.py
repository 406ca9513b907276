"""JSON: the report model dumped as is (see schema/report.schema.json).

A batch result is written scheme by scheme, one compact line each, so a register of
20,000 schemes streams to disk instead of being built as one giant string (and the
C encoder, which ``indent`` would turn off, does the work).
"""

from __future__ import annotations

import json
from io import StringIO
from typing import Any, TextIO


def write(report: dict[str, Any], out: TextIO) -> None:
    """Write the report as JSON; ``report["schemes"]`` may be a one-shot iterator."""
    if report["kind"] != "batch":
        out.write(json.dumps({**report, "schemes": list(report["schemes"])}, indent=2,
                             ensure_ascii=False) + "\n")
        return
    head = {k: v for k, v in report.items() if k not in ("schemes", "data_quality")}
    out.write(json.dumps(head, indent=2, ensure_ascii=False)[:-2] + ',\n  "schemes": [')
    for n, scheme in enumerate(report["schemes"]):
        out.write(("\n    " if n == 0 else ",\n    ") + json.dumps(scheme, ensure_ascii=False))
    issues = json.dumps(report["data_quality"], ensure_ascii=False)
    out.write(f'\n  ],\n  "data_quality": {issues}\n}}\n')


def render(report: dict[str, Any]) -> str:
    """The report as JSON text."""
    buffer = StringIO()
    write(report, buffer)
    return buffer.getvalue()
