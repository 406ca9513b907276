"""The benchmark scripts run, and the generated register exercises every register check.

The benchmark times the bad-value paths only if the synthetic register has them: for every
register check on the schemes, adults and activities tables, some scheme must have rows
failing it (a gap) and, where a column it reads can hold an unreadable value, some scheme
must have rows it cannot check, with the values listed as data-quality issues.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cli_support import run

from youthscheme_audit.catalog import require_catalog
from youthscheme_audit.tables import TABLES

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))

from generate import generate  # noqa: E402

GENERATED = ("schemes", "adults", "activities")
SIZE = (400, 8_000, 2_000)  # schemes, adults, activities


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("register")
    generate(out, *SIZE, seed=1)
    return out


@pytest.fixture(scope="module")
def report(register: Path) -> dict:
    out = register / "r.json"
    code, _, err = run("score", *(str(register / f"{t}.csv") for t in GENERATED),
                       "--as-of", "2026-11-22", "--format", "json", "-o", str(out))
    assert code == 0, err
    return json.loads(out.read_text(encoding="utf-8"))


def readable_only(table: str, columns: set[str]) -> bool:
    """Whether every column is free text, which is never unreadable (only blank or TBC)."""
    return all(TABLES[table].column(c).type == "text" for c in columns)


def test_every_register_check_has_gaps_and_unreadable_rows(report: dict) -> None:
    reasons: dict[str, list[str]] = {}
    for scheme in report["schemes"]:
        for finding in scheme["findings"]:
            if finding["source"] == "register":
                reasons.setdefault(finding["control_id"], []).append(finding["reason"])
    issues = {(d["table"], d["column"]) for d in report["data_quality"]}
    missing = []
    for control in require_catalog().ordered():
        for check in control.register:
            if check.table not in GENERATED:
                continue
            rule = re.escape(check.describe())
            said = "\n".join(reasons.get(control.id, []))
            name = f"{control.id} {check.describe()}"
            if not re.search(rf"fails?(; \d+ more cannot be checked)?: {rule}", said):
                missing.append(f"no gap: {name}")
            if readable_only(check.table, check.columns() - {"scheme_id"}):
                continue
            if not re.search(rf"cannot be checked: {rule}", said):
                missing.append(f"nothing unverified: {name}")
            if not any((check.table, c) in issues for c in check.columns()):
                missing.append(f"no data-quality issue in its columns: {name}")
    assert missing == [], "\n".join(missing)


def test_the_register_is_mostly_in_order(report: dict) -> None:
    statuses = [f["status"] for s in report["schemes"] for f in s["findings"]
                if f["source"] == "register"]
    assert statuses.count("met") > statuses.count("gap") > 0
    assert report["unlisted_schemes"]


def test_generation_is_deterministic(register: Path, tmp_path: Path) -> None:
    generate(tmp_path, *SIZE, seed=1)
    for table in GENERATED:
        assert (tmp_path / f"{table}.csv").read_bytes() == \
            (register / f"{table}.csv").read_bytes()


def test_run_py_measures_and_cleans_up_at_a_tiny_size(tmp_path: Path) -> None:
    # one output part stands for the four (they share one code path): html, as it
    # writes a folder
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--dir", str(tmp_path), "--schemes", "20",
         "--adults", "400", "--activities", "80", "--runs", "1", "--xlsx-rows", "200",
         "--scale", "200", "--help-runs", "1", "--only", "html,scaling,xlsx,help"],
        capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    summary = proc.stdout.split("\nsummary")[1]
    for part in ("html", "scaling", "xlsx", "help"):
        assert re.search(rf"^{part} .* (met|NOT met)$", summary, re.M), (part, proc.stdout)
    assert "peak memory" in summary
    assert sorted(p.name for p in tmp_path.iterdir() if not p.is_dir()) == [
        "activities.csv", "adults-200.xlsx", "adults.csv", "register.txt", "schemes.csv"]


def test_scores_worked_out_for_the_whole_register_equal_each_schemes_own(
        register: Path, example_csv: Path) -> None:
    """The league table's scores, and each area's, come from a scheme x control frame;
    every number and reason must be what scoring one scheme's findings gives, on the
    generated register (bad values for every check) and on the example."""
    import datetime as dt

    from youthscheme_audit.engine import RegisterEvaluator
    from youthscheme_audit.models import SchemeResult
    from youthscheme_audit.registers import read_register
    from youthscheme_audit.report import area_rows, scheme_areas
    from youthscheme_audit.scoring import score_findings

    catalog = require_catalog()
    for folder in (register, example_csv):
        read = read_register(sorted(folder.glob("*.csv")))
        evaluator = RegisterEvaluator(catalog, read, dt.date(2026, 11, 22), cite=False)
        every = evaluator.every_finding()
        native = evaluator.scores()
        assert len(native) == len(every) > 0
        assert native == [score_findings(found) for found in every]
        assert {s.rating for s in native} >= {"red", "amber"}
        # and each area's row, as the report would score it from the findings
        areas = [area_rows(found) for found in every]
        assert [scheme_areas(r, {}) for r in (SchemeResult(
            "", "", "", {}, (), native[n], areas=a) for n, a in
            enumerate(evaluator.area_scores()))] == areas
        assert {row["rating"] for rows in areas for row in rows} >= {"red", "amber"}


def test_one_schemes_citations_are_those_of_citing_the_whole_register(register: Path) -> None:
    """A spot audit cites one scheme's rows on their own; a batch run cites each check's
    rows in one pass: the two give the same findings, row for row."""
    import datetime as dt

    from youthscheme_audit.engine import RegisterEvaluator
    from youthscheme_audit.registers import read_register

    catalog = require_catalog()
    read = read_register(sorted(register.glob("*.csv")))
    whole = RegisterEvaluator(catalog, read, dt.date(2026, 11, 22)).every_finding()
    cited = [n for n, found in enumerate(whole) if any(f.citations for f in found)]
    assert len(cited) > 5
    for n in cited[:3] + cited[-3:]:
        alone = RegisterEvaluator(catalog, read, dt.date(2026, 11, 22))
        assert alone.findings(alone.schemes[n]) == whole[n]


def test_cited_rows_explained_together_read_as_each_explained_alone(
        register: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch run explains a check's cited rows in one pass, rows with the same values
    sharing one explanation: each must read as that row explained on its own."""
    import datetime as dt

    from youthscheme_audit.engine import RegisterEvaluator
    from youthscheme_audit.registers import read_register

    read = read_register(sorted(register.glob("*.csv")))
    evaluator = RegisterEvaluator(require_catalog(), read, dt.date(2026, 11, 22))
    compared = 0
    for runs in evaluator.runs.values():
        for checked in runs:
            table, rows = checked.table, cited_rows(checked)
            if table is None or not rows:
                continue
            together = checked.explain(table, rows, evaluator.ctx)
            assert len(together) == len(rows)
            for k in range(0, len(rows), max(1, len(rows) // 60)):  # each alone: a sample
                assert [together[k]] == checked.explain(table, [rows[k]], evaluator.ctx)
                compared += 1
    assert compared > 1000
    # combinations too many for one folded key are told apart by their code tuples: alike
    from youthscheme_audit import engine

    folded = {id(c): c.explain(c.table, cited_rows(c), evaluator.ctx) for runs in
              evaluator.runs.values() for c in runs if c.table is not None and cited_rows(c)}
    monkeypatch.setattr(engine, "FOLDED_KEYS", 0)
    assert folded == {id(c): c.explain(c.table, cited_rows(c), evaluator.ctx) for runs in
                      evaluator.runs.values() for c in runs
                      if c.table is not None and cited_rows(c)}


def cited_rows(run: Any) -> list[int]:
    """Every row a batch run's findings cite for one check, in order."""
    return sorted(i for rows in run.first_cited().values() for i in rows)


def test_area_scores_of_every_code_are_the_areas_of_those_findings() -> None:
    """Each status, claimed or not, in every control: the areas scored from the frame of
    codes are those the report scores from the findings the codes stand for."""
    import random
    from dataclasses import replace

    import polars as pl

    from youthscheme_audit.engine import base_finding
    from youthscheme_audit.models import SchemeResult, Status
    from youthscheme_audit.report import area_rows, scheme_areas
    from youthscheme_audit.scoreframe import area_scores, code_of, scores

    controls = require_catalog().ordered()
    pick = random.Random(16)
    every = [[replace(base_finding(c, pick.choice(list(Status)), "why", source="register"),
                      claimed=pick.random() < 0.3) for c in controls] for _ in range(300)]
    wide = pl.DataFrame({f"k{k}": pl.Series([code_of(found[k]) for found in every],
                                            dtype=pl.UInt8) for k in range(len(controls))})
    native = area_scores(wide, controls, len(every))
    total = scores(wide, controls, len(every))
    assert [scheme_areas(SchemeResult("", "", "", {}, (), total[n], areas=a), {})
            for n, a in enumerate(native)] == [area_rows(found) for found in every]
