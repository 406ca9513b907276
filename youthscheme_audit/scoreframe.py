"""scoring.py's policy for every scheme of a register at once: a scheme x control frame.

Each control's findings for all schemes come as one column of codes (``code_of`` a
finding: its status, plus ``CLAIMED`` when it rests on a bare yes), side by side in one
scheme x control frame. Counts and weights per status and open gaps per severity are
horizontal sums across it; the controls a rating names are read a column at a time.
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
from youthscheme_audit.scoring import (
    SEVERITIES,
    STATUSES,
    WEIGHTS,
    Mark,
    Named,
    score_findings,
    scored,
)

STATUS_CODE = {status: n for n, status in enumerate(Status)}
CLAIMED = 8  # added to a status code: met on a bare yes
_GAP, _UNVERIFIED, _PARTIAL = (STATUS_CODE[s] for s in (Status.GAP, Status.UNVERIFIED,
                                                       Status.PARTIAL))
_CRITICAL, _HIGH = SEVERITIES.index(Severity.CRITICAL), SEVERITIES.index(Severity.HIGH)
_WEIGHT = [WEIGHTS[Severity(s)] for s in SEVERITIES]


def code_of(finding: Finding) -> int:
    """A finding as scoring sees it: its status's number, plus CLAIMED if claimed."""
    return STATUS_CODE[finding.status] + (CLAIMED if finding.claimed else 0)


def scores(wide: pl.DataFrame, controls: Sequence[Any], nschemes: int) -> list[Score]:
    """Each scheme's Score, by position: column ``k{k}`` of ``wide`` holds control
    ``controls[k]``'s code for each of the ``nschemes`` schemes (controls in checklist
    order, each with ``id`` and ``severity``)."""
    if not controls or not nschemes:
        return [scored(dict.fromkeys(STATUSES, 0), dict.fromkeys(STATUSES, 0),
                       dict.fromkeys(SEVERITIES, 0), Named([], [], [], [], []))] * nschemes
    severity = [SEVERITIES.index(c.severity) for c in controls]
    status = [pl.col(f"k{k}") % CLAIMED for k in range(len(controls))]

    def total(terms: list[pl.Expr], name: str) -> pl.Expr:
        return (pl.sum_horizontal(terms) if terms else pl.repeat(0, nschemes)).cast(
            pl.Int64).alias(name)

    sums = wide.select(
        *(total([(s == code) for s in status], f"n{code}") for code in range(len(STATUSES))),
        *(total([(s == code) * _WEIGHT[sev] for s, sev in zip(status, severity, strict=True)],
                f"w{code}") for code in range(len(STATUSES))),
        *(total([s == _GAP for s, sev in zip(status, severity, strict=True) if sev == level],
                f"g{level}") for level in range(len(SEVERITIES))),
    )
    names: list[tuple[list[str], ...]] = [([], [], [], [], []) for _ in range(nschemes)]
    for k, control in enumerate(controls):  # in checklist order, as ``named`` lists them
        if severity[k] not in (_CRITICAL, _HIGH):
            continue
        code = wide[f"k{k}"]
        if severity[k] == _HIGH:
            wanted = [(1, code % CLAIMED == _GAP)]
        else:
            wanted = [(0, code % CLAIMED == _GAP), (2, code >= CLAIMED),
                      (3, code % CLAIMED == _UNVERIFIED), (4, code % CLAIMED == _PARTIAL)]
        for which, rows in wanted:
            for pos in rows.arg_true().to_list():
                names[pos][which].append(control.id)
    split = len(STATUSES)
    return [scored(dict(zip(STATUSES, row[:split], strict=True)),
                   dict(zip(STATUSES, row[split:2 * split], strict=True)),
                   dict(zip(SEVERITIES, row[2 * split:], strict=True)), Named(*names[pos]))
            for pos, row in enumerate(sums.iter_rows())]


_STATUS_OF = {code: status for status, code in STATUS_CODE.items()}


def area_scores(wide: pl.DataFrame, controls: Sequence[Any], nschemes: int
                ) -> list[tuple[tuple[str, str, Score], ...]]:
    """Each scheme's areas (id, title, Score), by position, in checklist order, from the
    same frame as ``scores`` (controls with ``id``, ``severity``, ``area`` and
    ``area_title``). Each distinct combination of an area's codes is scored once, by
    ``scoring.score_findings`` as the area's findings would be, and the schemes alike
    in it share that one tuple."""
    from youthscheme_audit.frames import Coded, per_combination

    by_area: dict[str, list[int]] = {}
    for k, control in enumerate(controls):
        by_area.setdefault(control.area, []).append(k)
    codes = list(range(2 * CLAIMED))  # a column's values: its codes themselves
    columns = []
    for ks in by_area.values():
        made: list[tuple[str, str, Score]] = []

        def judge(combination: tuple[int, ...], ks: list[int] = ks,
                  made: list[tuple[str, str, Score]] = made) -> int:
            first = controls[ks[0]]
            marks = [Mark(controls[k].id, _STATUS_OF[code % CLAIMED], controls[k].severity,
                          code >= CLAIMED) for k, code in zip(ks, combination, strict=True)]
            made.append((first.area, first.area_title, score_findings(marks)))
            return len(made) - 1

        which = per_combination([Coded(wide[f"k{k}"], codes) for k in ks], nschemes, judge,
                                dtype=pl.UInt32)
        columns.append(list(map(made.__getitem__, which.to_list())))
    return list(zip(*columns, strict=True)) if columns else [()] * nschemes
