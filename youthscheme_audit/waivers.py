"""Waiver files: approved, time-limited acceptances of a gap (product.md, Waivers).

    waivers:
      - control_id: GOV-09
        scheme_id: S-014          # optional: without the key the waiver covers every scheme
        justification: School agreement being re-signed after a change of head.
        approved_by: Supt J. Doe
        expires: 2027-01-31

An in-date waiver turns a gap into ``waived``; an expired one changes nothing and is
reported as expired. Anything malformed, or a control the checklists do not have, is
an input error naming the file and line: an unknown key (at the top or in a waiver),
a value of the wrong type (a list, a mapping, true/false or a fraction where text is
expected), and a ``scheme_id:`` that is present but blank, which would otherwise read
as "every scheme".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from youthscheme_audit.catalog import Catalog
from youthscheme_audit.errors import WaiverError
from youthscheme_audit.models import Waiver, iso_date
from youthscheme_audit.yamlio import YDict, YList, load_yaml, unknown_keys

TOP_KEYS = {"waivers"}
KEYS = {"control_id", "scheme_id", "justification", "approved_by", "expires"}
REQUIRED = ("control_id", "justification", "approved_by", "expires")
IDS = ("control_id", "scheme_id")  # ids may be written as bare numbers (scheme_id: 1042)


def load_waivers(path: str | Path, catalog: Catalog) -> list[Waiver]:
    """Read and validate a waiver file."""
    p = str(path)
    doc = load_yaml(path)
    if not isinstance(doc, YDict) or not isinstance(doc.get("waivers"), YList):
        line = doc.line if isinstance(doc, YDict | YList) else 1
        raise WaiverError("expected a top-level 'waivers:' list", p, line)
    if extra := unknown_keys(doc, TOP_KEYS):
        key, key_line, hint = extra[0]
        raise WaiverError(f"unknown top-level key '{key}' ({hint})", p, key_line)
    return [_waiver(node, line, catalog, p)
            for node, line in zip(doc["waivers"], doc["waivers"].item_lines, strict=True)]


def _text(node: YDict, key: str, p: str) -> str:
    """A waiver field as stripped text; a list, mapping, yes/no or fraction is refused."""
    value = node.get(key)
    if value is None:
        return ""
    whole = isinstance(value, int) and not isinstance(value, bool) and key in IDS
    if not isinstance(value, str) and not whole:
        kind = ("a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict)
                else "true/false" if isinstance(value, bool) else "a number")
        raise WaiverError(f"'{key}' must be text, not {kind}", p, node.line_of(key))
    return str(value).strip()


def _waiver(node: object, line: int, catalog: Catalog, p: str) -> Waiver:
    """One entry of the ``waivers:`` list, validated."""
    if not isinstance(node, YDict):
        raise WaiverError("each waiver must be a mapping", p, line)
    if extra := unknown_keys(node, KEYS):
        key, key_line, hint = extra[0]
        raise WaiverError(f"unknown key '{key}' ({hint})", p, key_line)
    fields = {key: _text(node, key, p) for key in KEYS}
    for key in REQUIRED:
        if not fields[key]:
            raise WaiverError(f"waiver is missing '{key}'", p, node.line_of(key))
    if "scheme_id" in node and not fields["scheme_id"]:
        raise WaiverError("'scheme_id' is blank: give the scheme's id, or remove the key to "
                          "waive the control for every scheme", p, node.line_of("scheme_id"))
    cid = fields["control_id"]
    if cid not in catalog.controls:
        raise WaiverError(catalog.unknown_control(cid, "waive"), p, node.line_of("control_id"))
    if iso_date(fields["expires"]) is None:
        raise WaiverError(f"expires must be a date YYYY-MM-DD, not '{fields['expires']}'", p,
                          node.line_of("expires"))
    return Waiver(control_id=cid, scheme_id=fields["scheme_id"] or None,
                  justification=fields["justification"], approved_by=fields["approved_by"],
                  expires=fields["expires"], line=node.line)


def for_scheme(waivers: Iterable[Waiver], scheme_id: str) -> list[Waiver]:
    """The waivers that cover ``scheme_id`` (scheme-specific or for all schemes)."""
    return [w for w in waivers if w.scheme_id in (None, scheme_id)]


def in_date(waiver: Waiver, as_of: dt.date) -> bool:
    """A waiver counts up to and including its expiry date."""
    return dt.date.fromisoformat(waiver.expires) >= as_of
