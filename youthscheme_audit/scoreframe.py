"""scoring.py's policy for every scheme of a register at once: a scheme x control frame.

Each control's findings for all schemes come as one column of codes (``code_of`` a
finding: its status, plus ``CLAIMED`` when it rests on a bare yes). Counting them per
scheme, status and severity is one group-by; so is finding the controls a rating names.
Only the ``Score`` of each scheme is then made in Python, by ``scoring.scored``: the same
function that scores one scheme's findings, so both ways give the same numbers and words
(tests/test_benchmark.py holds them to it on the generated and example registers).

Polars is imported here: only the register path uses this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from youthscheme_audit.models import Finding, Score, Severity, Status
from youthscheme_audit.scoring import SEVERITIES, STATUSES, WEIGHTS, Named, scored

STATUS_CODE = {status: n for n, status in enumerate(Status)}
CLAIMED = 8  # added to a status code: met on a bare yes
_GAP, _UNVERIFIED, _PARTIAL = (STATUS_CODE[s] for s in (Status.GAP, Status.UNVERIFIED,
                                                       Status.PARTIAL))
_CRITICAL, _HIGH = SEVERITIES.index(Severity.CRITICAL), SEVERITIES.index(Severity.HIGH)
_WEIGHT = [WEIGHTS[Severity(s)] for s in SEVERITIES]


def code_of(finding: Finding) -> int:
    """A finding as scoring sees it: its status's number, plus CLAIMED if claimed."""
    return STATUS_CODE[finding.status] + (CLAIMED if finding.claimed else 0)


def scores(columns: Sequence[pl.Series], controls: Sequence[Any], nschemes: int) -> list[Score]:
    """Each scheme's Score, by position: ``columns[k]`` holds control ``controls[k]``'s
    code for every scheme (controls in checklist order, each with ``id`` and
    ``severity``)."""
    if not columns or not nschemes:
        return [scored(dict.fromkeys(STATUSES, 0), dict.fromkeys(STATUSES, 0),
                       dict.fromkeys(SEVERITIES, 0), Named([], [], [], [], []))] * nschemes
    every = pl.int_range(0, nschemes * len(columns), dtype=pl.UInt32, eager=True)
    severity = pl.Series([SEVERITIES.index(c.severity) for c in controls], dtype=pl.UInt8)
    code = pl.concat([c.cast(pl.UInt8) for c in columns])
    long = pl.DataFrame({"pos": every % nschemes, "k": every // nschemes, "code": code})
    long = long.with_columns(severity.gather(long["k"]).alias("sev"),
                             (pl.col("code") % CLAIMED).alias("status"),
                             (pl.col("code") >= CLAIMED).alias("claimed"))
    counts = [dict.fromkeys(STATUSES, 0) for _ in range(nschemes)]
    weights = [dict.fromkeys(STATUSES, 0) for _ in range(nschemes)]
    gaps = [dict.fromkeys(SEVERITIES, 0) for _ in range(nschemes)]
    tallied = long.group_by("pos", "status", "sev").len()
    for pos, status, sev, n in tallied.iter_rows():
        name = STATUSES[status]
        counts[pos][name] += n
        weights[pos][name] += n * _WEIGHT[sev]
        if status == _GAP:
            gaps[pos][SEVERITIES[sev]] += n
    names: list[tuple[list[str], ...]] = [([], [], [], [], []) for _ in range(nschemes)]
    critical = pl.col("sev") == _CRITICAL
    wanted = long.filter(
        (critical & (pl.col("status").is_in([_GAP, _UNVERIFIED, _PARTIAL]) | pl.col("claimed")))
        | ((pl.col("sev") == _HIGH) & (pl.col("status") == _GAP))
    ).sort("pos", "k")
    ids = [c.id for c in controls]
    for pos, k, status, sev, claimed in wanted.select(
            "pos", "k", "status", "sev", "claimed").iter_rows():
        lists = names[pos]
        if sev == _CRITICAL:
            if status == _GAP:
                lists[0].append(ids[k])
            if claimed:
                lists[2].append(ids[k])
            if status == _UNVERIFIED:
                lists[3].append(ids[k])
            elif status == _PARTIAL:
                lists[4].append(ids[k])
        else:
            lists[1].append(ids[k])
    return [scored(counts[pos], weights[pos], gaps[pos], Named(*names[pos]))
            for pos in range(nschemes)]
