"""``walk`` driven through the command line with piped input (one answer per line)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from walk_support import PROFILE, SETS

from youthscheme_audit.answers import load_answers
from youthscheme_audit.catalog import Catalog
from youthscheme_audit.cli import main
from youthscheme_audit.models import Answer, Mode


def walk(*args: str, lines: list[str] | None = None) -> Result:
    text = "".join(f"{line}\n" for line in lines or [])
    return CliRunner().invoke(main, ["walk", *args], input=text)


def test_piped_yes_answers_every_control_and_reports(catalog: Catalog, ids: list[str],
                                                     tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    result = walk("--answers", str(path), *SETS, "--assessor", "Sam", "--as-of", "2026-06-01",
                  lines=["y"] * 200)
    assert result.exit_code == 0, result.output
    saved = load_answers(path, catalog)
    assert list(saved.answers) == ids
    assert all(r.answer is Answer.YES for r in saved.answers.values())
    assert (saved.assessor, saved.as_of, saved.profile) == ("Sam", "2026-06-01", PROFILE)
    assert set(saved.skipped) == set(catalog.controls) - set(ids)
    html = tmp_path / "a.html"
    assert f"HTML report: {html}" in result.output
    # after some 200 lines of report, the rating and the path are the last two lines
    last = result.output.rstrip("\n").splitlines()[-2:]
    assert re.fullmatch(r"Rating AMBER · score 100\.0 · coverage 100\.0% · \d+ actions in "
                        r"the plan", last[0]), last
    assert last[1] == f"HTML report: {html}"
    assert html.read_text().lstrip().lower().startswith("<!doctype html")
    assert "Oak Lane Mini Police" in result.output  # the terminal report


def test_input_running_out_saves_and_a_second_run_resumes(catalog: Catalog, ids: list[str],
                                                          tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    first = walk("--answers", str(path), *SETS, "--assessor", "Sam", lines=["y", "n", "p"])
    assert first.exit_code == 0, first.output
    assert f"Input ended: 3 of {len(ids)} answered, saved in {path}" in first.output
    assert "Run the same command again to carry on." in first.output
    saved = load_answers(path, catalog).answers
    assert [saved[c].answer for c in ids[:3]] == [Answer.YES, Answer.NO, Answer.PARTIAL]
    second = walk("--answers", str(path), lines=["d"] * 200)
    assert second.exit_code == 0, second.output
    assert f"Resuming: 3 of {len(ids)} answered." in second.output
    assert f"{ids[0]} ·" not in second.output
    saved = load_answers(path, catalog).answers
    assert saved[ids[1]].answer is Answer.NO and saved[ids[-1]].answer is Answer.UNKNOWN


def test_profile_and_assessor_lines_when_not_preset(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    lines = ["Oak Lane Mini Police", "S-001", "unofficial", "1", "10", "13", "no", "n", "Sam",
             "y"]
    result = walk("--answers", str(path), lines=lines)
    assert result.exit_code == 0, result.output
    saved = load_answers(path, catalog)
    assert saved.profile == PROFILE and saved.assessor == "Sam" and len(saved.answers) == 1


def test_invalid_line_exits_2_naming_the_control(catalog: Catalog, ids: list[str],
                                                 tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    result = walk("--answers", str(path), *SETS, "--assessor", "Sam",
                  lines=["y", "perhaps", "y"])
    assert result.exit_code == 2
    assert ids[1] in result.stderr and "'perhaps' is not an answer" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert list(load_answers(path, catalog).answers) == ids[:1]


def test_invalid_profile_line_exits_2_naming_the_field(tmp_path: Path) -> None:
    result = walk("--answers", str(tmp_path / "a.yaml"), "--scheme-name", "Oak",
                  lines=["", "secret"])
    assert result.exit_code == 2
    assert "scheme type must be one of official, unofficial, force, not 'secret'" in result.stderr


def test_hand_edited_bad_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    assert walk("--answers", str(path), *SETS, "--assessor", "Sam", lines=["y"]).exit_code == 0
    text = path.read_text().replace("answer: 'yes'", "answer: sort of")
    path.write_text(text)
    before = path.read_bytes()
    result = walk("--answers", str(path), lines=["y"] * 10)
    assert result.exit_code == 2
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "sort of" in t)
    assert f"{path}:{line}:" in result.stderr
    assert "'sort of' is not one of yes, no, partial, na, unknown" in result.stderr
    assert path.read_bytes() == before


def test_set_with_an_unknown_field_or_value_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    result = walk("--answers", str(path), "--set", "colour=blue")
    assert result.exit_code == 2
    assert "scheme_name, scheme_id, scheme_type" in result.stderr
    result = walk("--answers", str(path), "--set", "age_min=ten")
    assert result.exit_code == 2 and "youngest age must be a whole number" in result.stderr
    assert not path.exists()


def test_default_path_comes_from_the_scheme_name(catalog: Catalog, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    sets = [s for s in SETS if not s.startswith("scheme_name=")]
    sets.remove("--set")
    result = walk("--scheme-name", "St Mary's Club", *sets, "--assessor", "Sam", lines=["y"])
    assert result.exit_code == 0, result.output
    assert "Answers are saved to st-mary-s-club.answers.yaml" in result.output
    saved = load_answers(tmp_path / "st-mary-s-club.answers.yaml", catalog)
    assert saved.profile["scheme_name"] == "St Mary's Club"


def test_spot_audit_shows_self_answers_and_register_evidence(catalog: Catalog, ids: list[str],
                                                             tmp_path: Path) -> None:
    own = tmp_path / "oak.answers.yaml"
    notes = ["y", "b", "y"]  # GOV-01 yes; then back and yes again keeps one answer
    assert walk("--answers", str(own), *SETS, "--assessor", "Lead",
                lines=notes).exit_code == 0
    (tmp_path / "schemes.csv").write_text(
        "scheme_id,scheme_name,scheme_type,host_type,approved_by,approval_date\n"
        "S-001,Oak Lane Mini Police,unofficial,school,,\n")
    result = walk("--mode", "spot", "--self", str(own), "--register",
                  str(tmp_path / "schemes.csv"), "--assessor", "PSD", "--sample-seed", "42",
                  "--as-of", "2026-06-01", lines=["n", "s"])
    assert result.exit_code == 0, result.output
    assert "Scheme's own answer" in result.output and "Register" in result.output
    assert "approved by is blank" in result.output
    audit = load_answers(tmp_path / "oak.audit.yaml", catalog)
    assert audit.mode is Mode.SPOT and audit.profile == PROFILE
    assert (audit.self_assessment, audit.register, audit.sample_seed, audit.assessor) == (
        "oak.answers.yaml", "schemes.csv", 42, "PSD")
    assert audit.answers[ids[0]].answer is Answer.NO


def test_spot_options_need_spot_mode(tmp_path: Path) -> None:
    result = walk("--answers", str(tmp_path / "a.yaml"), "--register", "r.xlsx")
    assert result.exit_code == 2 and "need --mode spot" in result.stderr
    result = walk("--mode", "spot")
    assert result.exit_code == 2 and "--self" in result.stderr


def test_a_skipped_assessor_is_not_asked_again_on_resume(catalog: Catalog, ids: list[str],
                                                         tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    assert walk("--answers", str(path), *SETS, lines=["", "y"]).exit_code == 0
    result = walk("--answers", str(path), lines=["n"])
    assert result.exit_code == 0, result.output
    saved = load_answers(path, catalog)
    assert saved.assessor == "" and saved.answers[ids[1]].answer is Answer.NO


def test_piped_evidence_and_reasons_after_a_colon(catalog: Catalog, ids: list[str],
                                                  tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    result = walk("--answers", str(path), *SETS, "--assessor", "Sam",
                  lines=["y: Approval letter 2024-09-03", "a: conditions are in GOV-01's letter",
                         "a"])
    third = catalog.controls[ids[2]]
    saved = load_answers(path, catalog).answers
    assert saved[ids[0]].evidence == "Approval letter 2024-09-03"
    assert saved[ids[1]].note == "conditions are in GOV-01's letter"
    assert third.severity in ("critical", "high")  # a bare "a" needs a reason: exit 2
    assert result.exit_code == 2
    assert f"{third.id}: not applicable needs a reason" in result.stderr
    assert ids[2] not in saved


def test_the_walk_and_the_report_count_the_same_controls(catalog: Catalog, ids: list[str],
                                                         tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    lines = ["a: not run here"] * 4 + ["y"] * (len(ids) - 4)
    result = walk("--answers", str(path), *SETS, "--assessor", "Sam", lines=lines)
    assert result.exit_code == 0, result.output
    assert f"overall {len(ids)} of {len(ids)}" in result.output
    report = CliRunner().invoke(main, ["report", str(path), "--format", "json"])
    scheme = json.loads(report.stdout)["schemes"][0]
    assert scheme["in_scope"] == {"controls": len(ids), "found_not_applicable": ids[:4]}
    text = CliRunner().invoke(main, ["report", str(path), "--format", "markdown"]).stdout
    assert (f"of {len(ids) - 4} applicable controls evidenced = 100.0% ({len(ids)} apply to "
            f"this scheme's profile; 4 found not applicable: {', '.join(ids[:4])})") in text


def test_ages_that_cannot_be_are_refused_before_anything_is_saved(catalog: Catalog,
                                                                  tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    sets = [a.replace("age_min=10", "age_min=14") for a in SETS]
    result = walk("--answers", str(path), *sets, "--assessor", "Sam", lines=["y"])
    assert result.exit_code == 2 and not path.exists()
    assert "youngest age 14 is above oldest age 13" in result.stderr
    typed = walk("--answers", str(path), lines=["Oak Lane", "S-001", "unofficial", "1", "14",
                                                "9", "no", "n", "Sam"])
    assert typed.exit_code == 2 and "youngest age 14 is above oldest age 9" in typed.stderr
    assert path.exists() and load_answers(path, catalog).profile.get("age_max") is None
