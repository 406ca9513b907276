"""Hostile YAML (answers, waivers, mapping, checklists) and checklist literals, via the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import one_line_error, run

from youthscheme_audit.catalog import bundled_dir

ROOT = Path(__file__).resolve().parent.parent
REGISTER = ROOT / "examples" / "register.xlsx"
ANSWERS = ROOT / "examples" / "unofficial-school-scheme.yaml"
HUGE = "9" * 5_000
ANSWERS_HEAD = "format: youthscheme-audit/answers@1\nmode: self\n"
WAIVER = ("waivers:\n  - control_id: GOV-01\n    justification: agreed\n    approved_by: Supt A\n"
          "    expires: 2027-01-31\n")


def one_line(code: int, err: str, *expected: str) -> None:
    one_line_error(code, err, *expected)
    assert len(err) < 400, "a 5,000-digit value is not quoted in full"


# --- item 4: numbers over 4,300 digits -------------------------------------------------------


@pytest.mark.parametrize("kind", ["answers", "waivers", "mapping", "checklist"])
def test_a_5000_digit_number_is_one_line_in_every_file_kind(kind: str, tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    body = {"answers": ANSWERS_HEAD + f"profile:\n  age_min: {HUGE}\n",
            "waivers": WAIVER.replace("agreed", HUGE),
            "mapping": f"tables:\n  Volunteers: {HUGE}\n",
            "checklist": f"checklist: x\nversion: {HUGE}\ncontrols: []\n"}[kind]
    path.write_text(body)
    args = {"answers": ["report", str(path)],
            "waivers": ["report", str(ANSWERS), "--waivers", str(path)],
            "mapping": ["score", str(REGISTER), "--mapping", str(path)],
            "checklist": ["--checklists", str(tmp_path), "checklists"]}[kind]
    code, _, err = run(*args)
    line = {"answers": 4, "waivers": 3, "mapping": 2, "checklist": 2}[kind]
    one_line(code, err, f"f.yaml:{line}", "is too large (at most 15 digits)")


def test_a_5000_digit_set_in_the_walk_is_one_line(tmp_path: Path) -> None:
    code, _, err = run("walk", "--answers", str(tmp_path / "a.yaml"),
                       "--set", f"age_min={HUGE}", stdin="")
    one_line(code, err, "--set age_min=", "must be a whole number from 0 to 1,000,000")
    assert not (tmp_path / "a.yaml").exists()


def test_a_5000_digit_number_in_a_walks_answers_file_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(ANSWERS_HEAD + f"profile:\n  age_max: {HUGE}\n")
    code, _, err = run("walk", "--answers", str(path), stdin="")
    one_line(code, err, "a.yaml:4", "too large")
    assert path.read_text().endswith(f"{HUGE}\n"), "the file is left as it was"


@pytest.mark.parametrize(("check", "problem"), [
    ("kind: date_age\n        table: adults\n        columns: [dbs_issue_date]\n"
     "        max_years: 100000000", "'max_years' must be between 0 and 200 years"),
    ("kind: compare\n        table: activities\n        left: adults_present\n"
     "        op: '>='\n        value: 99999999999", "'value' must be between 0 and 1,000,000"),
])
def test_a_check_number_out_of_range_is_a_lint_problem(check: str, problem: str,
                                                       tmp_path: Path) -> None:
    (tmp_path / "local.yaml").write_text(LOCAL.format(register=check))
    code, out, _ = run("lint", str(tmp_path))
    assert code == 1
    assert problem in out


# --- item 2: checklist literals --------------------------------------------------------------

LOCAL = """checklist: local
title: Local checks
version: 1.10
controls:
  - id: LOC-01
    title: Right DBS level
    question: Is every adult's DBS level right?
    severity: high
    applies_to: [official, unofficial]
    why: Basic and standard checks do not look at the barred list.
    evidence: The DBS level of each adult.
    remediation: Apply for an enhanced check.
    sources: [dbs-charity-leaflet]
    register:
      - {register}
"""


def test_capitalised_literals_mean_what_the_register_means(tmp_path: Path) -> None:
    check = "kind: values_in\n        table: adults\n        column: dbs_level\n" \
            "        forbidden: [Basic, Standard]"
    (tmp_path / "local.yaml").write_text(LOCAL.format(register=check))
    code, _, err = run("--checklists", str(tmp_path), "lint")
    assert code == 0, err
    code, out, err = run("--checklists", str(tmp_path), "score", str(REGISTER),
                         "--as-of", "2026-11-22", "--format", "json")
    assert code == 0, err
    by_scheme = {s["scheme_id"]: {f["control_id"]: f for f in s["findings"]}
                 for s in json.loads(out)["schemes"]}
    found = by_scheme["S-003"]["LOC-01"]  # Riverside has a Basic-DBS adult (P-302)
    assert found["status"] == "gap"
    assert "DBS level is basic" in found["evidence"][0]


@pytest.mark.parametrize(("param", "expected"), [
    ("forbidden: [no]", None),  # a yes/no column: no means False
    ("allowed: [Enhanced, Platinum]", "local.yaml:18: LOC-01: 'allowed': dbs_level: 'Platinum' "
                                      "is not a value this column can hold (not one of basic"),
    ("allowed: [enhanced]\n        where: {dbs_update_service: maybe}",
     "local.yaml:19: LOC-01: 'where': dbs_update_service: 'maybe' is not a value this column "
     "can hold (not yes or no)"),
    ("allowed: [enhanced]\n        where: {dbs_level: TBC}",
     "local.yaml:19: LOC-01: 'where': dbs_level: 'TBC' is not a value this column can hold "
     "(it reads as unknown"),
])
def test_a_literal_no_column_can_hold_is_a_lint_problem_with_its_line(
        param: str, expected: str | None, tmp_path: Path) -> None:
    column = "dbs_barred_list" if param.startswith("forbidden: [no]") else "dbs_level"
    check = f"kind: values_in\n        table: adults\n        column: {column}\n        {param}"
    (tmp_path / "local.yaml").write_text(LOCAL.format(register=check))
    code, out, _ = run("lint", str(tmp_path))
    if expected is None:
        assert code == 0, out
        return
    assert code == 1
    assert expected in out
    code, _, err = run("--checklists", str(tmp_path), "score", str(REGISTER))
    one_line(code, err, expected.split(" LOC-01: ")[0])


def test_forbidden_no_on_a_yes_no_column_catches_the_no_rows(tmp_path: Path) -> None:
    check = ("kind: values_in\n        table: adults\n        column: code_of_conduct_signed\n"
             "        forbidden: [no]")
    (tmp_path / "local.yaml").write_text(LOCAL.format(register=check))
    code, out, err = run("--checklists", str(tmp_path), "score", str(REGISTER),
                         "--as-of", "2026-11-22", "--format", "json")
    assert code == 0, err
    statuses = {f["status"] for s in json.loads(out)["schemes"] for f in s["findings"]
                if f["control_id"] == "LOC-01"}
    assert "gap" in statuses


def test_a_version_is_text(tmp_path: Path) -> None:
    check = "kind: values_in\n        table: adults\n        column: dbs_level\n" \
            "        allowed: [enhanced]"
    (tmp_path / "local.yaml").write_text(LOCAL.format(register=check))
    code, out, err = run("--checklists", str(tmp_path), "checklists", "--format", "json")
    assert code == 0, err
    [local] = [a for a in json.loads(out)["checklists"] if a["id"] == "local"]
    assert local["version"] == "1.10"


# --- item 3: waivers -------------------------------------------------------------------------


@pytest.mark.parametrize(("body", "expected"), [
    (WAIVER.replace("    justification", "    scheme_id:\n    justification"),
     "w.yaml:3: 'scheme_id' is blank: give the scheme's id, or remove the key"),
    (WAIVER.replace("    justification", "    scheme_id: ''\n    justification"),
     "w.yaml:3: 'scheme_id' is blank"),
    (WAIVER + "approver: someone\n", "w.yaml:6: unknown top-level key 'approver'"),
    (WAIVER.replace("agreed", "[a, b]"), "w.yaml:3: 'justification' must be text, not a list"),
    (WAIVER.replace("Supt A", "true"), "w.yaml:4: 'approved_by' must be text, not true/false"),
    (WAIVER.replace("GOV-01", "{a: 1}"), "w.yaml:2: 'control_id' must be text, not a mapping"),
    (WAIVER.replace("agreed", "'   '"), "w.yaml:3: waiver is missing 'justification'"),
])
def test_malformed_waivers_are_refused_with_their_line(body: str, expected: str,
                                                       tmp_path: Path) -> None:
    (tmp_path / "w.yaml").write_text(body)
    code, _, err = run("report", str(ANSWERS), "--waivers", str(tmp_path / "w.yaml"))
    one_line(code, err, expected)


def test_a_numeric_scheme_id_is_an_id(tmp_path: Path) -> None:
    (tmp_path / "w.yaml").write_text(WAIVER.replace("    justification",
                                                    "    scheme_id: 1042\n    justification"))
    code, _, err = run("lint", "--waivers", str(tmp_path / "w.yaml"))
    assert code == 0, err


# --- item 9: control characters, UTF-16 ---------------------------------------------------


@pytest.mark.parametrize(("data", "expected"), [
    (ANSWERS_HEAD.encode() + b"assessor: Sam\x07\n", "a.yaml:3: invalid YAML: control "
                                                     "character 0x0007 is not allowed"),
    (ANSWERS_HEAD.encode("utf-16-le"), "a.yaml:1: NUL bytes: not UTF-8 text (UTF-16?"),
    (ANSWERS_HEAD.encode("utf-16"), "a.yaml:1: UTF-16 text, not UTF-8"),
    (ANSWERS_HEAD.encode() + b"assessor: \xff\n", "a.yaml:3: not UTF-8 text (byte 0xff)"),
    (ANSWERS_HEAD.encode() + b"assessor: \x1b[2J\n", "a.yaml:3: invalid YAML: control "
                                                    "character 0x001b"),
])
def test_undecodable_yaml_is_one_line_with_its_line(data: bytes, expected: str,
                                                    tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_bytes(data)
    code, _, err = run("report", str(tmp_path / "a.yaml"))
    one_line(code, err, expected)
    assert "\x1b" not in err and "\x07" not in err


def test_age_min_above_age_max_in_answers_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(ANSWERS_HEAD + "profile:\n  age_min: 14\n  age_max: 9\n")
    code, _, err = run("report", str(tmp_path / "a.yaml"))
    one_line(code, err, "a.yaml:4: youngest age 14 is above oldest age 9")


def test_the_bundled_checklists_still_lint_clean() -> None:
    code, _, err = run("lint", str(bundled_dir()))
    assert code == 0, err


def test_a_waiver_of_a_retired_control_names_its_replacements(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(WAIVER.replace("GOV-01", "VET-04"), encoding="utf-8")
    code, _, err = run("report", str(ANSWERS), "--waivers", str(path))
    one_line(code, err, "w.yaml:2: 'VET-04' was retired and replaced by VET-12",
             "waive those instead")
