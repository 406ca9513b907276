"""`compare OLD NEW` end to end: two quarters of a register, two reports, and bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from cli_support import run
from click.testing import CliRunner

from youthscheme_audit.cli import main
from youthscheme_audit.compare import compare_results

ROOT = Path(__file__).resolve().parent.parent
SEED_LIKE = ROOT / "examples" / "unofficial-school-scheme.yaml"
SCHEMA = json.loads((ROOT / "youthscheme_audit" / "schema" / "compare.schema.json").read_text(
    encoding="utf-8"))
jsonschema.Draft202012Validator.check_schema(SCHEMA)
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)

SCHEME_HEADER = ("scheme_id,scheme_name,scheme_type,host_type,age_min,age_max,offsite_activities,"
                 "social_media_accounts,approved_by,approval_date,central_registration,"
                 "lead_name,safeguarding_lead\n")
ADULT_HEADER = ("scheme_id,person_id,name,role,start_date,dbs_level,dbs_barred_list,"
                "dbs_issue_date,dbs_update_service\n")
GOOD_ADULT = "leader,01/01/2023,Enhanced with barred list,Y,01/12/2022,Y"
BASIC_ADULT = "leader,01/01/2023,Basic,N,01/12/2022,N"

Q1_SCHEMES = """\
S1,Northtown VPC,official,police,13,17,N,N,Insp A,01/02/2024,Y,PC A,Sgt B
S2,Oakfield Club,unofficial,school,9,11,N,N,,,N,PCSO C,
S3,Old Scheme,unofficial,community,10,14,N,N,Insp D,01/02/2024,Y,PC E,Sgt F
"""
Q1_ADULTS = f"S1,P001,A,{GOOD_ADULT}\nS2,P100,D,{BASIC_ADULT}\n"
# S1 regresses (an adult with only a Basic DBS), S2 improves, S3 removed, S4 added
Q2_SCHEMES = """\
S1,Northtown VPC,official,police,13,17,N,N,Insp A,01/02/2024,Y,PC A,Sgt B
S2,Oakfield Club,unofficial,school,9,11,N,N,Insp X,01/03/2025,Y,PCSO C,Sgt Y
S4,New Scheme,official,police,13,17,N,N,Insp G,01/02/2025,Y,PC H,Sgt I
"""
Q2_ADULTS = f"S1,P001,A,{BASIC_ADULT}\nS2,P100,D,{GOOD_ADULT}\nS4,P200,E,{GOOD_ADULT}\n"


def write_quarter(root: Path, schemes: str, adults: str) -> list[str]:
    root.mkdir(parents=True)
    (root / "schemes.csv").write_text(SCHEME_HEADER + schemes, encoding="utf-8")
    (root / "adults.csv").write_text(ADULT_HEADER + adults, encoding="utf-8")
    return [str(root / "schemes.csv"), str(root / "adults.csv")]


def score_json(tmp_path: Path, name: str, schemes: str, adults: str, as_of: str) -> Path:
    out = tmp_path / f"{name}.json"
    files = write_quarter(tmp_path / name, schemes, adults)
    code, _, err = run("score", *files, "--as-of", as_of, "--format", "json", "-o", str(out))
    assert code == 0, err
    return out


@pytest.fixture()
def quarters(tmp_path: Path) -> tuple[Path, Path]:
    return (score_json(tmp_path, "q1", Q1_SCHEMES, Q1_ADULTS, "2025-03-31"),
            score_json(tmp_path, "q2", Q2_SCHEMES, Q2_ADULTS, "2025-06-30"))


def compare_json(old: Path, new: Path, *extra: str) -> dict[str, Any]:
    """The JSON output of compare, checked against the shipped compare.schema.json."""
    code, out, err = run("compare", str(old), str(new), "--format", "json", *extra)
    assert code == 0, err
    result: dict[str, Any] = json.loads(out)
    VALIDATOR.validate(result)
    return result


def by_id(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["scheme_id"]: s for s in result["schemes"]}


# --- two quarters of a register ----------------------------------------------------------


def test_quarters_regressed_improved_added_removed(quarters: tuple[Path, Path]) -> None:
    old, new = quarters
    result = compare_json(old, new)
    assert result["old"] == {"path": str(old), "kind": "batch", "as_of": "2025-03-31",
                             "generated_at": result["old"]["generated_at"],
                             "tool_version": result["old"]["tool_version"], "schemes": 3}
    assert result["new"]["as_of"] == "2025-06-30"
    assert result["added"] == ["S4"] and result["removed"] == ["S3"]
    assert result["added_schemes"][0]["scheme_name"] == "New Scheme"
    schemes = by_id(result)
    assert set(schemes) == {"S1", "S2"}
    s1, s2 = schemes["S1"], schemes["S2"]
    # S1: an adult with a Basic DBS is a new critical gap
    assert {"VET-01", "VET-05"} <= set(s1["new_gaps"])
    assert {r["control_id"] for r in s1["regressions"]} >= {"VET-01", "VET-05"}
    vet01 = next(r for r in s1["regressions"] if r["control_id"] == "VET-01")
    assert (vet01["old"], vet01["new"]) == ("met", "gap")
    assert s1["score_delta"] < 0 and s1["score_new"] < s1["score_old"]
    assert s1["score_delta"] == round(s1["score_new"] - s1["score_old"], 1)
    assert s1["rating_new"] == "red" and s1["rating_change"] == "worse"
    assert s1["resolved_gaps"] == []
    # S2: approved, registered, a safeguarding lead named and a proper DBS
    assert {"GOV-01", "GOV-03", "GOV-04", "VET-01", "VET-05"} <= set(s2["resolved_gaps"])
    assert s2["new_gaps"] == [] and s2["regressions"] == []
    assert {i["control_id"] for i in s2["improvements"]} >= {"GOV-01", "VET-01"}
    assert s2["score_delta"] > 0
    # worst change first
    assert [s["scheme_id"] for s in result["schemes"]] == ["S1", "S2"]
    assert result["summary"]["has_regression"] is True


def test_fail_on_regression_exit_codes(quarters: tuple[Path, Path]) -> None:
    old, new = quarters
    assert run("compare", str(old), str(new), "--fail-on-regression")[0] == 1
    assert run("compare", str(old), str(new), "--format", "json",
               "--fail-on-regression")[0] == 1
    assert run("compare", str(old), str(new))[0] == 0  # without the flag: still success
    assert run("compare", str(new), str(new), "--fail-on-regression")[0] == 0


def test_improvement_only_passes_fail_on_regression(tmp_path: Path) -> None:
    old = score_json(tmp_path, "before", Q1_SCHEMES, Q1_ADULTS, "2025-03-31")
    fixed = Q1_SCHEMES.replace("S2,Oakfield Club,unofficial,school,9,11,N,N,,,N,PCSO C,",
                               "S2,Oakfield Club,unofficial,school,9,11,N,N,Insp X,01/03/2025,"
                               "Y,PCSO C,Sgt Y")
    new = score_json(tmp_path, "after", fixed, Q1_ADULTS, "2025-03-31")
    code, out, err = run("compare", str(old), str(new), "--format", "json",
                         "--fail-on-regression")
    assert code == 0, err
    result = json.loads(out)
    assert result["summary"]["has_regression"] is False
    assert by_id(result)["S2"]["resolved_gaps"]


def test_terminal_output_lists_changes(quarters: tuple[Path, Path]) -> None:
    old, new = quarters
    code, out, err = run("--no-color", "compare", str(old), str(new))
    assert code == 0, err
    assert "Northtown VPC" in out and "Oakfield Club" in out
    assert "VET-01" in out and "GOV-01" in out
    assert "new gaps: " in out and "resolved gaps: " in out
    assert "Schemes added" in out and "S4" in out
    assert "Schemes removed" in out and "S3" in out
    assert out.index("Northtown VPC") < out.index("Oakfield Club")  # worst first


def test_output_file(quarters: tuple[Path, Path], tmp_path: Path) -> None:
    old, new = quarters
    target = tmp_path / "changes.json"
    code, out, err = run("compare", str(old), str(new), "--format", "json", "-o", str(target))
    assert code == 0, err
    assert out == "" and "wrote" in err
    assert json.loads(target.read_text(encoding="utf-8"))["removed"] == ["S3"]
    text_target = tmp_path / "changes.txt"
    assert run("compare", str(old), str(new), "-o", str(text_target))[0] == 0
    assert "VET-01" in text_target.read_text(encoding="utf-8")


# --- results of the previous shape: each control's text inside every finding ---------------


def previous_shape(path: Path) -> Path:
    """The result as the writer wrote it before ``controls``: the text in every finding."""
    data = json.loads(path.read_text(encoding="utf-8"))
    controls = data.pop("controls")
    for scheme in data["schemes"]:
        scheme["findings"] = [{**f, **controls[f["control_id"]]} for f in scheme["findings"]]
    old = path.with_name(f"{path.stem}-previous.json")
    old.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return old


def test_results_of_the_previous_shape_compare_alike(quarters: tuple[Path, Path]) -> None:
    q1, q2 = quarters
    old_q1, old_q2 = previous_shape(q1), previous_shape(q2)
    assert "controls" in json.loads(q2.read_text(encoding="utf-8"))

    def changes(old: Path, new: Path) -> dict[str, Any]:
        result = compare_json(old, new)
        for point in result["trend"]["points"]:
            del point["path"]
        return {k: v for k, v in result.items() if k not in ("old", "new")}  # paths

    current = changes(q1, q2)
    assert changes(old_q1, old_q2) == current, "both previous"
    assert changes(old_q1, q2) == current, "previous, then current"
    assert changes(q1, old_q2) == current, "current, then previous"
    vet01 = next(r for r in by_id(current)["S1"]["regressions"] if r["control_id"] == "VET-01")
    controls = json.loads(q2.read_text(encoding="utf-8"))["controls"]
    assert vet01["title"] == controls["VET-01"]["title"] and vet01["severity"] == "critical"


# --- two reports of the same answers file --------------------------------------------------


def report_json(tmp_path: Path, answers: Path, name: str) -> Path:
    out = tmp_path / f"{name}.json"
    code, _, err = run("report", str(answers), "--format", "json", "-o", str(out))
    assert code == 0, err
    return out


def test_reports_with_and_without_changes(tmp_path: Path) -> None:
    text = SEED_LIKE.read_text(encoding="utf-8")
    assert "\n  VET-02: yes\n" in text and "\n  GOV-05: no\n" in text
    changed = tmp_path / "changed.yaml"
    changed.write_text(text.replace("\n  VET-02: yes\n", "\n  VET-02: no\n")
                       .replace("\n  GOV-05: no\n", "\n  GOV-05: yes\n"), encoding="utf-8")
    before = report_json(tmp_path, SEED_LIKE, "before")
    again = report_json(tmp_path, SEED_LIKE, "again")
    after = report_json(tmp_path, changed, "after")

    same = compare_json(before, again)
    (scheme,) = same["schemes"]
    assert scheme["scheme_name"] == "Oakfield Primary Police Cadets"
    assert scheme["new_gaps"] == scheme["resolved_gaps"] == scheme["regressions"] == []
    assert scheme["score_delta"] == 0 and scheme["rating_change"] == "same"
    assert run("compare", str(before), str(again), "--fail-on-regression")[0] == 0

    result = compare_json(before, after)
    (scheme,) = result["schemes"]
    assert scheme["new_gaps"] == ["VET-02"]
    assert scheme["resolved_gaps"] == ["GOV-05"]
    assert [(r["control_id"], r["old"], r["new"]) for r in scheme["regressions"]] == [
        ("VET-02", "met", "gap")]
    assert [(r["control_id"], r["old"], r["new"]) for r in scheme["improvements"]] == [
        ("GOV-05", "gap", "met")]
    assert result["added"] == result["removed"] == []
    assert run("compare", str(before), str(after), "--fail-on-regression")[0] == 1
    assert run("compare", str(after), str(before), "--fail-on-regression")[0] == 1  # GOV-05


def test_report_compared_with_a_register_score(tmp_path: Path, quarters: tuple[Path, Path]) -> None:
    before = report_json(tmp_path, SEED_LIKE, "before")
    result = compare_json(before, quarters[0])
    # a batch result is never paired by position: different ids are added and removed
    assert result["schemes"] == []
    assert result["removed"] == ["oakfield-primary-police-cadets"]
    assert result["added"] == ["S1", "S2", "S3"]


# --- the pure comparison -----------------------------------------------------------------


def result(*schemes: dict[str, Any], kind: str = "batch") -> dict[str, Any]:
    return {"kind": kind, "as_of": "2025-01-01", "schemes": list(schemes)}


def scheme(sid: str, score: float | None, rating: str, **statuses: str) -> dict[str, Any]:
    return {"scheme_id": sid, "scheme_name": f"Scheme {sid}", "score": score, "rating": rating,
            "findings": [{"control_id": c.replace("_", "-"), "title": c, "severity": "high",
                          "status": s} for c, s in statuses.items()]}


def test_status_ladder() -> None:
    old = scheme("A", 80.0, "amber", GOV_01="met", GOV_02="met", GOV_03="partial",
                 GOV_04="gap", GOV_05="gap", GOV_06="waived", GOV_07="met", GOV_08="gap",
                 GOV_09="unverified")
    new = scheme("A", 70.0, "red", GOV_01="partial", GOV_02="gap", GOV_03="gap",
                 GOV_04="waived", GOV_05="partial", GOV_06="gap", GOV_07="unverified",
                 GOV_08="unverified", GOV_09="gap")
    (c,) = compare_results(result(old), result(new))["schemes"]
    assert c["new_gaps"] == ["GOV-02", "GOV-03", "GOV-06", "GOV-09"]
    assert c["resolved_gaps"] == ["GOV-04", "GOV-05"]  # gap -> unverified is not resolved
    assert [r["control_id"] for r in c["regressions"]] == ["GOV-01", "GOV-02", "GOV-03"]
    assert [r["control_id"] for r in c["improvements"]] == ["GOV-05"]
    assert {r["control_id"] for r in c["other_changes"]} == {
        "GOV-04", "GOV-06", "GOV-07", "GOV-08", "GOV-09"}
    assert c["score_delta"] == -10.0 and c["rating_change"] == "worse"


def test_unscored_schemes_and_new_controls() -> None:
    old = scheme("A", None, "amber", GOV_01="unverified")
    new = scheme("A", 50.0, "red", GOV_01="unverified", GOV_02="gap")
    out = compare_results(result(old), result(new))
    VALIDATOR.validate(out)  # nulls for what cannot be scored are part of the schema
    (c,) = out["schemes"]
    assert c["score_delta"] is None and c["score_old"] is None
    assert c["new_gaps"] == ["GOV-02"]
    assert c["other_changes"][0]["old"] is None
    assert out["summary"]["has_regression"] is True


def test_single_scheme_results_pair_even_when_ids_differ() -> None:
    old = result(scheme("old-file", 50.0, "red", GOV_01="gap"), kind="self")
    new = result(scheme("new-file", 60.0, "red", GOV_01="met"), kind="self")
    out = compare_results(old, new)
    VALIDATOR.validate(out)
    (c,) = out["schemes"]
    assert c["resolved_gaps"] == ["GOV-01"] and "note" in c
    assert out["added"] == out["removed"] == []


def test_worst_change_sorts_first() -> None:
    old = result(scheme("A", 90.0, "green", GOV_01="met"), scheme("B", 90.0, "green", GOV_01="met"),
                 scheme("C", 90.0, "green", GOV_01="met"))
    new = result(scheme("A", 95.0, "green", GOV_01="met"), scheme("B", 60.0, "red", GOV_01="gap"),
                 scheme("C", 85.0, "green", GOV_01="met"))
    assert [c["scheme_id"] for c in compare_results(old, new)["schemes"]] == ["B", "C", "A"]


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(("content", "expected"), [
    ('{"schemes": [\n  {"scheme_id": "x",}\n]}', ":2: column 21: not valid JSON"),
    ("", ":1: column 1: not valid JSON"),
    ('{"kind": "batch"}', "no 'schemes' list"),
    ('[1, 2]', "top level is a JSON list"),
    ('{"schemes": [{"scheme_id": "x"}]}', "has no 'findings' list"),
    ('{"schemes": [{"findings": []}]}', "scheme 1 has no scheme_id"),
    ('{"schemes": [{"scheme_id": "x", "findings": [{"status": "gap"}]}]}', "no control_id"),
    ('{"controls": ["VET-01"], "schemes": []}', "'controls' is not an object of controls"),
    ('{"controls": {"VET-01": "x"}, "schemes": []}', "'controls' is not an object of controls"),
])
def test_not_a_result_is_an_input_error(tmp_path: Path, quarters: tuple[Path, Path],
                                        content: str, expected: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    target = tmp_path / "out.json"
    for args in ((str(quarters[0]), str(bad)), (str(bad), str(quarters[0]))):
        code, out, err = run("compare", *args, "--format", "json", "-o", str(target),
                             "--fail-on-regression")
        assert code == 2
        assert out == "" and not target.exists()
        assert len(err.strip().splitlines()) == 1
        assert str(bad) in err and expected in err, err
        assert "Traceback" not in err


def test_missing_file_is_an_input_error(tmp_path: Path, quarters: tuple[Path, Path]) -> None:
    code, _, err = run("compare", str(quarters[0]), str(tmp_path / "nope.json"))
    assert code == 2 and "nope.json" in err and "not found" in err


def test_help_has_an_example() -> None:
    code, out, _ = run("compare", "--help")
    assert code == 0 and "Example" in out and "--fail-on-regression" in out


# --- more than two results: the trend ------------------------------------------------------


@pytest.fixture()
def three(tmp_path: Path, quarters: tuple[Path, Path]) -> list[Path]:
    q3 = score_json(tmp_path, "q3", Q2_SCHEMES, Q1_ADULTS.replace("S2,P100", "S4,P100"),
                    "2025-09-30")
    return [*quarters, q3]


def test_three_results_give_a_trend_and_compare_the_last_two(three: list[Path]) -> None:
    code, out, err = run("compare", *map(str, three), "--format", "json")
    assert code == 0, err
    result = json.loads(out)
    VALIDATOR.validate(result)
    assert (result["old"]["path"], result["new"]["path"]) == (str(three[1]), str(three[2]))
    points = result["trend"]["points"]
    assert [p["as_of"] for p in points] == ["2025-03-31", "2025-06-30", "2025-09-30"]
    assert all(p["red"] + p["amber"] + p["green"] == p["schemes"] for p in points)
    s3 = next(s for s in result["trend"]["schemes"] if s["scheme_id"] == "S3")
    assert s3["scores"][1:] == [None, None]  # only in the first quarter


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_trend_pages(fmt: str, three: list[Path], tmp_path: Path) -> None:
    out = tmp_path / f"trend.{fmt}"
    code, _, err = run("compare", *map(str, three), "--format", fmt, "-o", str(out))
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert "2025-03-31" in text and "2025-09-30" in text
    if fmt == "html":
        assert text.count("<svg") >= 3 and "<polyline" in text and "<script" not in text
        assert "The force over time" in text
    else:
        assert "## The force over time" in text and "| 2025-06-30 |" in text


def test_terminal_trend_fits_80_columns(three: list[Path]) -> None:
    result = CliRunner().invoke(main, ["compare", *map(str, three)], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    assert "The force over time" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_compare_needs_two_results(quarters: tuple[Path, Path]) -> None:
    code, _, err = run("compare", str(quarters[0]))
    assert code == 2 and "two results or more" in err
