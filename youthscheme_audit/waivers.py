"""Waiver files: approved, time-limited acceptances of a gap (product.md, Waivers).

    waivers:
      - control_id: GOV-09
        scheme_id: S-014          # optional: without it the waiver covers every scheme
        justification: School agreement being re-signed after a change of head.
        approved_by: Supt J. Doe
        expires: 2027-01-31

An in-date waiver turns a gap into ``waived``; an expired one changes nothing and is
reported as expired. Anything malformed, or a control the checklists do not have, is
an input error naming the file and line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from youthscheme_audit.catalog import Catalog
from youthscheme_audit.errors import WaiverError
from youthscheme_audit.models import Waiver, iso_date
from youthscheme_audit.yamlio import YDict, YList, load_yaml, unknown_keys

KEYS = {"control_id", "scheme_id", "justification", "approved_by", "expires"}
REQUIRED = ("control_id", "justification", "approved_by", "expires")


def load_waivers(path: str | Path, catalog: Catalog) -> list[Waiver]:
    """Read and validate a waiver file."""
    p = str(path)
    doc = load_yaml(path)
    if not isinstance(doc, YDict) or not isinstance(doc.get("waivers"), YList):
        line = doc.line if isinstance(doc, YDict | YList) else 1
        raise WaiverError("expected a top-level 'waivers:' list", p, line)
    out = []
    for node, line in zip(doc["waivers"], doc["waivers"].item_lines, strict=True):
        if not isinstance(node, YDict):
            raise WaiverError("each waiver must be a mapping", p, line)
        if extra := unknown_keys(node, KEYS):
            key, key_line, hint = extra[0]
            raise WaiverError(f"unknown key '{key}' ({hint})", p, key_line)
        for key in REQUIRED:
            if node.get(key) in (None, ""):
                raise WaiverError(f"waiver is missing '{key}'", p, node.line)
        cid = str(node["control_id"])
        if cid not in catalog.controls:
            raise WaiverError(f"'{cid}' is not a control in the checklists in use", p,
                              node.line_of("control_id"))
        expires = str(node["expires"])
        if iso_date(expires) is None:
            raise WaiverError(f"expires must be a date YYYY-MM-DD, not '{expires}'", p,
                              node.line_of("expires"))
        scheme = node.get("scheme_id")
        out.append(Waiver(
            control_id=cid, scheme_id=None if scheme in (None, "") else str(scheme),
            justification=str(node["justification"]), approved_by=str(node["approved_by"]),
            expires=expires, line=node.line,
        ))
    return out


def for_scheme(waivers: Iterable[Waiver], scheme_id: str) -> list[Waiver]:
    """The waivers that cover ``scheme_id`` (scheme-specific or for all schemes)."""
    return [w for w in waivers if w.scheme_id in (None, scheme_id)]


def in_date(waiver: Waiver, as_of: dt.date) -> bool:
    """A waiver counts up to and including its expiry date."""
    return dt.date.fromisoformat(waiver.expires) >= as_of
