"""Presentation helpers every renderer shares: labels, number formats, per-scheme views.

These format and group what report.py computed; they never score anything.
"""

from __future__ import annotations

import re
from typing import Any

SEVERITIES = ("critical", "high", "medium", "low")
TOP_ACTIONS = 5  # the summary's "actions that matter most"
ACTION_LABELS = {"gap": "gap", "partial": "partly met", "unverified": "unverified",
                 "claimed": "claimed, not shown"}
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
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z])")
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
    """Evidence references: what was seen, less the note and the cited register rows.

    An answer's evidence holds its note and its reference; the note is shown under its
    own label, so "Evidence" is only ever what a checker could look at.
    """
    skip = {c["message"] for c in finding.get("citations") or ()}
    note = finding.get("note") or ""
    out = []
    for e in finding["evidence"]:
        if e and e == note:
            note = ""  # the note once; the same words given as a reference still show
        elif e and e not in skip:
            out.append(e)
    return out


def shown_by(finding: dict[str, Any]) -> str:
    """What showed a met or not applicable control: the reference, the rows or the reason."""
    refs = extra_evidence(finding)
    if finding["status"] == "met" and finding.get("claimed"):
        return "claimed: a yes with no evidence reference"
    if refs and finding["source"] != "register":
        return "evidence: " + "; ".join(refs)
    return str(finding["reason"])


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` (all of it when it is one sentence)."""
    match = _SENTENCE_END.search(text)
    return text[: match.start() + 1] if match else text


def plan(scheme: dict[str, Any]) -> list[dict[str, Any]]:
    """The action plan with each action's finding (``finding``) and its first sentence
    (``first_step``, for a plan table that fits the first pages) beside it."""
    by_id = {f["control_id"]: f for f in scheme["findings"]}
    return [{**a, "finding": by_id[a["control_id"]], "first_step": first_sentence(a["action"])}
            for a in scheme.get("actions") or ()]


def top_actions(scheme: dict[str, Any]) -> list[dict[str, Any]]:
    """The actions that matter most: the head of the plan (it is sorted worst first)."""
    return list(scheme.get("actions") or ())[:TOP_ACTIONS]


def not_in_plan(findings: list[dict[str, Any]], scheme: dict[str, Any]
                ) -> list[dict[str, Any]]:
    """``findings`` less those the action plan lists and those not yet audited."""
    skip = {a["control_id"] for a in scheme.get("actions") or ()}
    skip.update((scheme.get("audit") or {}).get("not_audited") or ())
    return [f for f in findings if f["control_id"] not in skip]


def not_audited(scheme: dict[str, Any]) -> list[dict[str, Any]]:
    """Spot audits: the findings of controls the auditor has not reached yet."""
    ids = set((scheme.get("audit") or {}).get("not_audited") or ())
    return [f for f in scheme["findings"] if f["control_id"] in ids]


def owner_text(action: dict[str, Any]) -> str:
    """An action's owner, or the blank to fill in."""
    return action["owner"] or "to be named"


def _applicable(f: dict[str, Any]) -> bool:
    return not (f["status"] == "not_applicable" and f["source"] == "profile")


def applicable(scheme: dict[str, Any]) -> list[str]:
    """The controls the scheme's profile makes applicable (the ones whose sources count)."""
    return [f["control_id"] for f in scheme["findings"] if _applicable(f)]


def sources_index(scheme: dict[str, Any]) -> list[tuple[str, list[str], str]]:
    """Every source the scheme's applicable controls cite, with the controls citing it and
    its public address ("" when it has none)."""
    cited: dict[str, list[str]] = {}
    urls: dict[str, str] = {}
    for f in scheme["findings"]:
        if not _applicable(f):
            continue
        links = f.get("source_urls") or [""] * len(f["sources"])
        for src, url in zip(f["sources"], links, strict=True):
            cited.setdefault(src, []).append(f["control_id"])
            urls[src] = urls.get(src) or url
    return sorted(((src, ids, urls[src]) for src, ids in cited.items()),
                  key=lambda item: item[0].casefold())


def audit_line(scheme: dict[str, Any]) -> str:
    """Spot audits: how much of the scheme the auditor has checked so far."""
    audit = scheme["audit"]
    left = len(audit["not_audited"])
    rest = f"; {left} not yet audited (never counted as divergences)" if left else ""
    return f"{audit['audited']} of {audit['controls']} controls audited{rest}"


def divergence_line(scheme: dict[str, Any]) -> str:
    """How many answers the audit (or the register) disagreed with, and which way."""
    rows = scheme.get("divergences") or []
    checker = scheme.get("checked_by") or "audit"
    if not rows:
        return f"the {checker} agrees with every answer it checked"
    kinds = [d["kind"] for d in rows]
    counts = ", ".join(f"{kinds.count(k)} {k}" for k in ("underclaimed", "differs")
                       if k in kinds)
    return (f"{len(rows)} divergent: {kinds.count('overclaimed')} overclaimed (the scheme "
            f"said more than the {checker} found){', ' + counts if counts else ''}")


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
    """The counts behind a scheme's coverage, and how they meet the walk's count."""
    c = scheme["counts"]
    applicable = sum(c.values()) - c["not_applicable"]
    text = (f"{applicable - c['unverified']} of {applicable} applicable controls evidenced "
            f"= {fmt_pct(scheme['coverage'])}")
    scope = scheme.get("in_scope")
    if scope and scope["found_not_applicable"]:
        ids = scope["found_not_applicable"]
        text += (f" ({scope['controls']} apply to this scheme's profile; "
                 f"{len(ids)} found not applicable: {', '.join(ids)})")
    return text


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
