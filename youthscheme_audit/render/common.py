"""Presentation helpers every renderer shares: labels, number formats, per-scheme views.

These format and group what report.py computed; they never score anything.
"""

from __future__ import annotations

import re
from typing import Any

SEVERITIES = ("critical", "high", "medium", "low")
STATUS_LABELS = {
    "met": "met",
    "partial": "partly met",
    "gap": "gap",
    "unverified": "unverified",
    "not_applicable": "not applicable",
    "waived": "waived",
}
DATA_QUALITY_HINT = (
    "use --format csv, json or html, or -o DIR for per-scheme reports, to see every issue"
)
# C0/C1 controls (but tab and line feed) and bidi overrides: ESC would drive a terminal,
# BEL ring it, and a bidi override can make text read differently from what it says
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# characters that would start markup, a link, raw HTML, an entity or a table cell
_MD_SPECIAL = re.compile(r"([\\`*\[\]<>|&~#]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# names Windows refuses whatever the extension
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
             *(f"lpt{i}" for i in range(10))}


def _shown_as_escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def inert(value: Any) -> Any:
    """Text with control characters shown as visible escapes (``\\x1b``); other values as
    they are. Every renderer passes what it prints through this one function."""
    if value.__class__ is not str or value.isprintable():
        return value
    return _CONTROL.sub(_shown_as_escape, value)


def fmt_score(value: float | None) -> str:
    """A score to one decimal place, or a dash when there is none."""
    return "—" if value is None else f"{value:.1f}"


def fmt_pct(value: float | None) -> str:
    """A percentage to one decimal place, or a dash when there is none."""
    return "—" if value is None else f"{value:.1f}%"


def status_label(status: str) -> str:
    """How a status reads in a report."""
    return STATUS_LABELS.get(status, status)


def gap_counts(scheme: dict[str, Any]) -> dict[str, int]:
    """Open (not waived) gaps per severity, worst first (counted in report.py)."""
    counts: dict[str, int] = scheme["open_gaps"]
    return counts


def extra_evidence(finding: dict[str, Any]) -> list[str]:
    """Evidence lines not already shown as a cited register row."""
    cited = {c["message"] for c in finding.get("citations") or ()}
    return [e for e in finding["evidence"] if e and e not in cited]


def formula_numbers(scheme: dict[str, Any]) -> str:
    """The weights behind a scheme's score, in the words of the formula."""
    w = scheme["weights"]
    scored = w["met"] + w["partial"] + w["gap"]
    waived = f"; waived {w['waived']} left out" if w["waived"] else ""
    if scheme["score"] is None:
        return f"no control is met, partial or gap, so there is no score{waived}"
    return (f"weights met {w['met']}, partial {w['partial']}, gap {w['gap']} "
            f"(denominator {scored}){waived}: score = 100 x ({w['met']} + {w['partial']}/2) "
            f"/ {scored} = {fmt_score(scheme['score'])}")


def coverage_numbers(scheme: dict[str, Any]) -> str:
    """The counts behind a scheme's coverage."""
    c = scheme["counts"]
    applicable = sum(c.values()) - c["not_applicable"]
    return (f"{applicable - c['unverified']} of {applicable} applicable controls evidenced "
            f"= {fmt_pct(scheme['coverage'])}")


def safe_name(text: str, taken: set[str]) -> str:
    """A file name stem for ``text``: portable characters, unique (case-insensitively)."""
    stem = _UNSAFE.sub("_", text).strip("._")[:80] or "scheme"
    if stem.lower() in _RESERVED or stem.lower() == "index":
        stem = f"scheme_{stem}"
    name, n = stem, 2
    while name.lower() in taken:
        name, n = f"{stem}-{n}", n + 1
    taken.add(name.lower())
    return name


def anchors(schemes: list[dict[str, Any]]) -> list[str]:
    """A unique, HTML-safe anchor per scheme, in the order given (ids may repeat)."""
    taken: set[str] = set()
    return ["scheme-" + safe_name(s["scheme_id"], taken) for s in schemes]


def md_escape(value: Any) -> str:
    """Text made inert in markdown: no markup, links, HTML, table breaks or controls; one line."""
    text = " ".join(inert(str(value)).split())
    return _MD_SPECIAL.sub(r"\\\1", text)
