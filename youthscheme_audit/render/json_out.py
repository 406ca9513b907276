"""JSON: the report model dumped as is (see schema/report.schema.json)."""

from __future__ import annotations

import json
from typing import Any


def render(report: dict[str, Any]) -> str:
    """The report as indented, stable JSON."""
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
