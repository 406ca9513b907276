"""Register check kinds, driven by the cases in data/check_cases.yaml."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from youthscheme_audit.checks import KINDS, Context
from youthscheme_audit.checks.base import Tally
from youthscheme_audit.registers import Table
from youthscheme_audit.tables import TABLES
from youthscheme_audit.values import parse_column
from youthscheme_audit.yamlio import load_yaml

CASES = load_yaml(Path(__file__).parent / "data" / "check_cases.yaml")["cases"]


def build_table(name: str, rows: list[dict[str, Any]]) -> Table:
    """A table from raw cells, parsed as a real register would be."""
    spec = TABLES[name]
    names = {c for row in rows for c in row} | {"scheme_id"}
    columns = {}
    for column in names:
        raw = [str(row.get(column, "S1") if column == "scheme_id" else row.get(column, ""))
               for row in rows]
        col = spec.column(column)
        assert col is not None, column
        columns[column] = parse_column(col.type, raw)
    return Table(name, "test", 1, columns, len(rows))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_check_case(case: dict[str, Any]) -> None:
    check = KINDS[case["kind"]](case["table"], dict(case["params"]))
    table = build_table(case["table"], case["rows"])
    as_of = dt.date.fromisoformat(case.get("as_of", "2026-11-22"))
    ctx = Context(as_of, {k: dict(v) for k, v in (case.get("profiles") or {}).items()})
    outcome = check.evaluate(table, ctx)
    considered = set(range(table.nrows) if outcome.considered is None else outcome.considered)
    got = [
        "skip" if i not in considered else "fail" if i in outcome.fail
        else "unknown" if i in outcome.unknown else "pass"
        for i in range(table.nrows)
    ]
    assert got == case["expect"]
    for i in outcome.fail + outcome.unknown:  # every non-pass row explains itself
        column, _, threshold, message = check.explain(table, i, ctx)
        assert column in check.columns() and threshold and message
    if "verdict" in case:
        scheme = table.columns["scheme_id"]
        rows, considered = Counter(scheme), Counter(scheme[i] for i in considered)
        fail, unknown = Counter(scheme[i] for i in outcome.fail), Counter(
            scheme[i] for i in outcome.unknown)
        verdicts = {sid: check.verdict(Tally(rows[sid], considered[sid], fail[sid],
                                             unknown[sid]))[0].value
                    for sid in case["verdict"]}
        assert verdicts == dict(case["verdict"])


def test_every_kind_has_cases_and_documentation() -> None:
    covered = {c["kind"] for c in CASES}
    assert covered == set(KINDS)
    for kind in KINDS.values():
        module = __import__(kind.__module__, fromlist=["_"])
        doc = module.__doc__ or ""
        assert "Passing row" in doc and "Failing row" in doc, kind.NAME


@pytest.mark.parametrize("limit", [{"max_years": 3}, {"max_months": 6}, {"max_days": 30},
                                   {"min_years": 18}, {"not_expired": True}])
def test_date_columns_are_judged_natively_as_test_judges_each_value(
        limit: dict[str, Any]) -> None:
    # the native path judges distinct values with an expression: it must agree with
    # ``test`` on every kind of value, at and around each boundary
    from youthscheme_audit.checks.base import VERDICT

    as_of = dt.date(2026, 11, 22)
    days = [-40000, -6575, -6574, -1096, -1095, -183, -182, -31, -30, -1, 0, 1, 400]
    cells = [(as_of + dt.timedelta(days=d)).isoformat() for d in days] + [
        "", "TBC", "pending", "31/02/2025", "two", "22/11/2008", "45000"]
    ctx = Context(as_of, {})
    check = KINDS["date_age"]("adults", {"columns": ["dbs_issue_date"], **limit})
    table = build_table("adults", [{"dbs_issue_date": c} for c in cells])
    native = check.native(table, ctx)
    assert native is not None
    expected = [VERDICT[check.test(ctx, v)] for v in table.columns["dbs_issue_date"]]
    assert native.to_list() == expected
    # two columns, every pair of those values: the newest known date counts, and one that
    # fails is open while the other could not be read
    both = KINDS["date_age"]("adults", {
        "columns": ["dbs_issue_date", "dbs_status_check_date"], **limit})
    pairs = build_table("adults", [{"dbs_issue_date": a, "dbs_status_check_date": b}
                                   for a in cells for b in cells])
    native = both.native(pairs, ctx)
    assert native is not None
    expected = [VERDICT[both.test(ctx, a, b)] for a, b in zip(
        pairs.columns["dbs_issue_date"], pairs.columns["dbs_status_check_date"], strict=True)]
    assert native.to_list() == expected
