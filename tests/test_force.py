"""The force picture (issue #13): register and self-assessments together, shadow schemes,
and the index a central team reads; through the real CLI on the bundled examples."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from youthscheme_audit.cli import main

ROOT = Path(__file__).resolve().parent.parent
REGISTER = str(ROOT / "examples" / "register.xlsx")
ANSWERS = str(ROOT / "examples" / "self-assessments")
AS_OF = ("--as-of", "2026-11-22")


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def picture() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(run("score", REGISTER, "--answers", ANSWERS, *AS_OF,
                                          "--format", "json").stdout)
    return data


def scheme(data: dict[str, Any], sid: str) -> dict[str, Any]:
    found: dict[str, Any] = next(s for s in data["schemes"] if s["scheme_id"] == sid)
    return found


def test_a_teacher_claimed_at_every_session_is_the_first_overclaim(picture: dict[str, Any],
                                                                   ) -> None:
    oakfield = scheme(picture, "S-001")
    first = oakfield["divergences"][0]
    assert (first["control_id"], first["self_status"], first["status"], first["kind"]) == (
        "SUP-04", "met", "gap", "overclaimed")
    assert oakfield["checked_by"] == "register" and oakfield["overclaims"] >= 2
    sup04 = next(f for f in oakfield["findings"] if f["control_id"] == "SUP-04")
    assert sup04["source"] == "register" and sup04["citations"][0]["record"] == "A-1002"
    over = next(c for c in picture["picture"]["overclaims"] if c["scheme_id"] == "S-001")
    assert over["controls"][:2] == ["SUP-04", "TRP-01"]  # critical first


def test_self_assessed_answers_fill_what_the_register_cannot_show(picture: dict[str, Any],
                                                                  ) -> None:
    eastfield = scheme(picture, "S-002")
    sources = eastfield["coverage_sources"]
    assert sources["register"] > 30 and sources["self-assessment"] > 30
    soc03 = next(f for f in eastfield["findings"] if f["control_id"] == "SOC-03")
    assert soc03["source"] == "self-assessment" and soc03["status"] == "met"
    assert eastfield["rating"] == "green"  # its critical controls carry evidence references


def test_the_answers_summary_names_what_did_not_match(picture: dict[str, Any]) -> None:
    answers = picture["answers"]
    assert answers["matched"] == ["S-001", "S-002", "S-004"]
    assert answers["unmatched"] == [{"path": f"{ANSWERS}/westbrook-club.yaml",
                                     "scheme_id": "S-007",
                                     "why": "scheme 'S-007' is not in the register"}]
    assert answers["without_answers"] == ["S-003", "S-005"] and answers["stale"] == ["S-004"]
    northgate = scheme(picture, "S-004")
    assert northgate["self_assessment"]["stale"] and northgate["rating"] != "green"
    claimed = [f for f in northgate["findings"] if f["claimed"]]
    assert claimed and all("stale self-assessment (2025-06-30)" in f["reason"] for f in claimed)


def test_the_league_shows_both_sources_and_overclaims() -> None:
    out = run("score", REGISTER, "--answers", ANSWERS, *AS_OF).stdout
    header = next(line for line in out.splitlines() if line.startswith("#  Scheme"))
    assert "Self" in header and "Over" in header
    assert "Not used: " in out and "westbrook-club.yaml" in out
    assert "Overclaims (the scheme said met, its records show a gap):" in out


def test_a_scheme_nobody_lists_is_named_first_everywhere(tmp_path: Path) -> None:
    terminal = run("score", REGISTER, *AS_OF).stdout.splitlines()
    assert terminal[0] == terminal[-1] == "OFFICIAL-SENSITIVE"  # the protective marking
    assert terminal[1].startswith("Records for 1 scheme the schemes table does not list")
    assert "S-009: 1 adults row (P-901 (row 16))" in terminal[2]
    data = json.loads(run("score", REGISTER, *AS_OF, "--format", "json").stdout)
    keys = list(data)
    assert keys.index("unlisted_schemes") < keys.index("schemes")
    assert data["unlisted_schemes"][0]["rows"] == [{"table": "adults", "row": 16,
                                                    "record": "P-901"}]
    csv_first = run("score", REGISTER, *AS_OF, "--format", "csv").stdout.splitlines()[1]
    assert csv_first.startswith("S-009,") and "P-901" in csv_first
    for fmt, index in (("html", "index.html"), ("json", "index.json"), ("markdown", "index.md")):
        out = tmp_path / fmt
        run("score", REGISTER, *AS_OF, "--format", fmt, "-o", f"{out}/")
        text = (out / index).read_text(encoding="utf-8")
        assert "S-009" in text and "P-901" in text, fmt
        assert text.index("S-009") < text.index("S-001"), fmt  # before the league


def test_the_html_index_draws_the_force_picture(tmp_path: Path) -> None:
    run("score", REGISTER, "--answers", ANSWERS, *AS_OF, "--format", "html", "-o", f"{tmp_path}/")
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    for part in ('id="ratings"', 'class="tiles"', 'id="areas"', "<svg", 'class="heat"',
                 'id="common-gaps"', 'id="overclaims"', 'id="data-quality"', 'class="sortable"'):
        assert part in html, part
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")  # nothing fetched


def test_two_self_assessments_for_one_scheme_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "answers"
    folder.mkdir()
    shutil.copy(Path(ANSWERS) / "oakfield-primary.yaml", folder / "a.yaml")
    shutil.copy(Path(ANSWERS) / "oakfield-primary.yaml", folder / "b.yaml")
    result = CliRunner().invoke(main, ["score", REGISTER, "--answers", str(folder), *AS_OF])
    assert result.exit_code == 2
    assert "a second self-assessment for scheme S-001" in result.stderr
    assert result.stderr.count("\n") == 1


def test_long_runs_say_which_step_they_are_on(tmp_path: Path) -> None:
    from youthscheme_audit.catalog import require_catalog
    from youthscheme_audit.pipeline import score_register
    from youthscheme_audit.render.per_scheme import write_per_scheme
    from youthscheme_audit.report import report_dict

    seen: list[tuple[str, int, int | None]] = []
    result = score_register(require_catalog(), [Path(REGISTER)], progress=lambda *a: seen.append(a))
    write_per_scheme(report_dict(result), tmp_path / "out", "markdown",
                     progress=lambda *a: seen.append(a))
    steps = list(dict.fromkeys(step for step, _, _ in seen))
    assert steps[:2] == ["reading schemes", "reading adults"]
    assert steps[-3:] == ["checking controls", "scoring schemes", "writing reports"]
    assert ("scoring schemes", 5, 5) in seen and ("writing reports", 4, 5) in seen
