"""`sample REGISTER --scheme ID` end to end on a small CSV register."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from cli_support import run

AS_OF = "2025-06-01"
SCHEMES = """scheme_id,scheme_name,scheme_type,host_type,age_min,age_max,offsite_activities,\
social_media_accounts,approved_by,approval_date,central_registration
S1,Northtown VPC,official,police,13,17,Y,N,Insp A,01/02/2024,Y
S2,Oakfield Club,unofficial,school,9,11,Y,N,Insp B,01/03/2024,Y
"""
ADULT_HEADER = ("scheme_id,person_id,name,role,start_date,dbs_level,dbs_barred_list,"
                "dbs_issue_date,dbs_update_service,safeguarding_training_date")
CLEAN = "leader,01/01/2023,Enhanced with barred list,Y,01/12/2022,Y,01/12/2022"
# rows a register check flags, by person_id
FLAGGED = {
    "P005": "leader,01/01/2023,Basic,N,01/12/2022,N,01/12/2022",  # VET-01, VET-05
    "P012": "volunteer,01/01/2023,Enhanced with barred list,Y,01/12/2022,Y,TBC",  # TRN-01/02
    "P020": "leader,01/01/2023,Enhanced with barred list,Y,01/06/2023,Y,01/12/2022",  # VET-02
}
ACTIVITY_HEADER = ("scheme_id,activity_id,date,kind,arranged_by,teacher_present,adults_present,"
                   "young_people_present,risk_assessment_date,consent_forms,first_aider_present")
ACTIVITIES = """S1,A01,05/03/2025,session,unit,N,3,12,01/03/2025,12,Y
S1,A02,12/03/2025,offsite,unit,N,1,10,01/03/2025,10,Y
S1,A03,19/03/2025,session,unit,N,3,11,01/03/2025,11,Y
S1,A04,26/03/2025,offsite,unit,N,4,10,,6,Y
S1,A05,02/04/2025,session,unit,N,3,12,01/03/2025,12,Y
S1,A06,09/04/2025,session,unit,N,3,12,01/03/2025,12,Y
S2,A50,09/04/2025,session,school,Y,3,20,01/03/2025,20,Y
S2,A51,16/04/2025,offsite,force,Y,3,20,01/03/2025,20,Y
S2,A52,23/04/2025,session,school,Y,3,20,01/03/2025,20,Y
"""


def write_register(root: Path) -> list[str]:
    """A register with 30 adults in S1 (three of them flagged) and a few in S2."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "schemes.csv").write_text(SCHEMES, encoding="utf-8")
    rows = [ADULT_HEADER.split(",")]
    for n in range(1, 31):
        pid = f"P{n:03d}"
        name = '=HYPERLINK("http://evil.example","click")' if n == 7 else f"Adult {n}"
        rest = FLAGGED.get(pid, CLEAN).split(",")
        if n == 9:  # a role cell that a spreadsheet would run as a formula
            rest[0] = "+SUM(1;2)"
        rows.append(["S1", pid, name, *rest])
    rows += [["S2", f"P{n}", f"Other {n}", *CLEAN.split(",")] for n in range(100, 104)]
    with (root / "adults.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    (root / "activities.csv").write_text(ACTIVITY_HEADER + "\n" + ACTIVITIES, encoding="utf-8")
    return [str(root / f) for f in ("schemes.csv", "adults.csv", "activities.csv")]


@pytest.fixture()
def register(tmp_path: Path) -> list[str]:
    return write_register(tmp_path / "register")


def sample_rows(register: list[str], *extra: str) -> list[dict[str, str]]:
    code, out, err = run("sample", *register, "--scheme", "S1", "--as-of", AS_OF,
                         "--format", "csv", *extra)
    assert code == 0, err
    assert out.startswith("\ufeff"), "a byte-order mark, so Excel reads UTF-8"
    return list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))


def ids(rows: list[dict[str, str]]) -> list[str]:
    return [r["person_id"] for r in rows]


def test_same_seed_gives_the_same_sample(register: list[str]) -> None:
    first = run("sample", *register, "--scheme", "S1", "--seed", "48213", "--as-of", AS_OF,
                "--format", "csv")
    second = run("sample", *register, "--scheme", "S1", "--seed", "48213", "--as-of", AS_OF,
                 "--format", "csv")
    assert first[0] == 0, first[2]
    assert first[1] == second[1]
    assert "seed 48213: re-run with --seed 48213 for the same sample" in first[2]


def test_different_seeds_give_different_samples(register: list[str]) -> None:
    samples = {tuple(ids(sample_rows(register, "--seed", str(seed)))) for seed in range(5)}
    assert len(samples) > 1


def test_flagged_rows_are_always_included(register: list[str]) -> None:
    for seed in ("1", "2", "3", "99"):
        rows = sample_rows(register, "--seed", seed)
        assert len(rows) == 10
        flagged = [r["person_id"] for r in rows if r["picked"] == "flagged"]
        assert flagged == sorted(FLAGGED)
        assert all(r["picked"] == "random" and r["why"] == "random"
                   for r in rows if r["person_id"] not in FLAGGED)
        assert len(set(ids(rows))) == 10
        assert all(i.startswith("P0") for i in ids(rows))  # only scheme S1's adults


def test_flagged_rows_are_kept_beyond_the_size(register: list[str]) -> None:
    rows = sample_rows(register, "--seed", "5", "--size", "1")
    assert ids(rows) == sorted(FLAGGED)
    assert sample_rows(register, "--seed", "5", "--size", "0") == rows


def test_why_names_the_control_and_the_problem(register: list[str]) -> None:
    rows = {r["person_id"]: r for r in sample_rows(register, "--seed", "5")}
    why = rows["P005"]["why"]
    assert why.startswith("flagged: ") and "VET-01" in why and "VET-05" in why
    assert "basic" in why.lower()
    assert "VET-02" in rows["P020"]["why"]
    # TBC is no record of training: a gap, like a blank
    assert "TRN-02 safeguarding training date is 'TBC' (no record)" in rows["P012"]["why"]


def test_key_fields_as_the_register_shows_them(register: list[str]) -> None:
    rows = {r["person_id"]: r for r in sample_rows(register, "--seed", "5")}
    p12 = rows["P012"]
    assert p12["row"] == "13"  # header on row 1, P001 on row 2
    assert p12["dbs_issue_date"] == "2022-12-01"
    assert p12["safeguarding_training_date"] == "TBC"  # unknown: the raw text
    assert p12["dbs_update_service"] == "yes"
    assert p12["dbs_level"] == "enhanced_barred"
    assert p12["verified"] == ""
    assert p12["sample_seed"] == "5" and p12["scheme_id"] == "S1"
    assert list(rows["P005"]) == [
        "sample_seed", "scheme_id", "table", "person_id", "row", "picked", "why", "role",
        "dbs_level", "dbs_issue_date", "dbs_update_service", "safeguarding_training_date",
        "verified",
    ]


def test_the_whole_scheme_when_the_size_exceeds_it(register: list[str]) -> None:
    rows = sample_rows(register, "--seed", "5", "--size", "100")
    assert len(rows) == 30


def test_seed_chosen_and_reported_when_not_given(register: list[str]) -> None:
    code, out, err = run("sample", *register, "--scheme", "S1", "--as-of", AS_OF,
                         "--format", "csv")
    assert code == 0, err
    found = re.search(r"seed (\d+): re-run with --seed \1 for the same sample", err)
    assert found
    seed = found.group(1)
    rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))
    assert {r["sample_seed"] for r in rows} == {seed}
    again = run("sample", *register, "--scheme", "S1", "--as-of", AS_OF, "--format", "csv",
                "--seed", seed)
    assert again[1] == out


def test_unknown_scheme_is_an_input_error(register: list[str]) -> None:
    code, out, err = run("sample", *register, "--scheme", "NOPE", "--as-of", AS_OF)
    assert code == 2
    assert out == ""
    assert "NOPE" in err and "S1" in err and "S2" in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_csv_is_safe_from_formula_injection(register: list[str]) -> None:
    rows = {r["person_id"]: r for r in sample_rows(register, "--seed", "5", "--size", "30",
                                                   "--show-names")}
    assert rows["P007"]["name"].startswith("'=HYPERLINK")
    assert rows["P009"]["role"] == "'+SUM(1;2)"
    assert rows["P001"]["name"] == "Adult 1"
    for row in rows.values():
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def test_names_only_with_show_names(register: list[str]) -> None:
    code, out, err = run("sample", *register, "--scheme", "S1", "--as-of", AS_OF,
                         "--seed", "5", "--size", "30", "--format", "csv")
    assert code == 0, err
    assert "Adult 1" not in out and "HYPERLINK" not in out and "name" not in out.splitlines()[0]
    for fmt in ("terminal", "markdown"):
        code, out, err = run("sample", *register, "--scheme", "S1", "--as-of", AS_OF,
                             "--seed", "5", "--size", "30", "--format", fmt)
        assert code == 0, err
        assert "Adult 1" not in out and "HYPERLINK" not in out


def test_markdown_is_a_checklist_with_the_seed(register: list[str], tmp_path: Path) -> None:
    out_file = tmp_path / "sample.md"
    code, out, err = run("sample", *register, "--scheme", "S1", "--as-of", AS_OF,
                         "--seed", "77", "--format", "markdown", "-o", str(out_file))
    assert code == 0, err
    assert out == ""
    text = out_file.read_text(encoding="utf-8")
    assert "seed 77: re-run with --seed 77 for the same sample" in text
    assert text.count("- [ ] ") == 10
    assert "- [ ] person_id P005 (row 6, flagged)" in text  # intraword _ needs no escape
    assert "| verified |" in text


def test_markdown_escapes_markup_in_register_text(tmp_path: Path) -> None:
    files = write_register(tmp_path / "reg")
    schemes = Path(files[0])
    schemes.write_text(schemes.read_text(encoding="utf-8").replace(
        "Oakfield Club", "Oak|field *Club* <b>[x](y)"), encoding="utf-8")
    code, out, err = run("sample", *files, "--scheme", "S2", "--as-of", AS_OF,
                         "--format", "markdown")
    assert code == 0, err
    heading = out.splitlines()[0]
    assert heading == "# Sample of adults records: Oak\\|field \\*Club\\* \\<b\\>\\[x\\](y) (S2)"


def test_terminal_output_shows_seed_and_flags(register: list[str]) -> None:
    code, out, err = run("--no-color", "sample", *register, "--scheme", "S1", "--as-of", AS_OF,
                         "--seed", "12")
    assert code == 0, err
    assert "seed 12: re-run with --seed 12 for the same sample" in out
    assert "P005" in out and "VET-01" in out and "P020" in out


def activity_rows(register: list[str], scheme: str, size: str) -> dict[str, dict[str, str]]:
    code, out, err = run("sample", *register, "--scheme", scheme, "--as-of", AS_OF,
                         "--table", "activities", "--size", size, "--seed", "3",
                         "--format", "csv")
    assert code == 0, err
    out = out.removeprefix("\ufeff")
    header = out.splitlines()[0].split(",")
    assert header[3:] == ["activity_id", "row", "picked", "why", "date", "kind", "arranged_by",
                          "teacher_present", "adults_present", "young_people_present",
                          "risk_assessment_date", "consent_forms", "verified"]
    return {r["activity_id"]: r for r in csv.DictReader(io.StringIO(out))}


def test_activities_sample(register: list[str]) -> None:
    rows = activity_rows(register, "S1", "3")
    assert len(rows) == 3
    # A02: one adult on a trip (SUP-01); A04: no risk assessment date recorded (TRP-02)
    # and too few consent forms (TRP-03)
    assert rows["A02"]["picked"] == "flagged" and "SUP-01" in rows["A02"]["why"]
    assert rows["A04"]["picked"] == "flagged" and "TRP-03" in rows["A04"]["why"]
    assert "TRP-02 risk assessment date is blank (no record)" in rows["A04"]["why"]
    assert rows["A02"]["date"] == "2025-03-12" and rows["A02"]["kind"] == "offsite"
    assert rows["A02"]["adults_present"] == "1" and rows["A02"]["teacher_present"] == "no"
    assert rows["A04"]["risk_assessment_date"] == ""
    assert not any(a.startswith("A5") for a in rows)


def test_activities_of_an_unofficial_scheme(register: list[str]) -> None:
    rows = activity_rows(register, "S2", "1")
    # a trip the force arranged breaks one of the scheme's conditions (TRP-01)
    assert list(rows) == ["A51"]
    assert "TRP-01" in rows["A51"]["why"] and rows["A51"]["arranged_by"] == "force"


def test_missing_table_is_an_input_error(register: list[str]) -> None:
    code, _, err = run("sample", register[0], register[1], "--scheme", "S1",
                       "--table", "activities")
    assert code == 2
    assert "activities" in err


def test_help_has_an_example() -> None:
    code, out, _ = run("sample", "--help")
    assert code == 0 and "Example" in out and "--seed" in out


def test_each_flag_carries_its_own_row_outcome(tmp_path: Path) -> None:
    """Under one control with a gap, a row that merely cannot be checked stays unverified."""
    register = write_register(tmp_path / "register")
    adults = Path(register[1])
    adults.write_text(adults.read_text(encoding="utf-8").replace(
        "S1,P010,Adult 10,leader,01/01/2023,Enhanced with barred list",
        "S1,P010,Adult 10,leader,01/01/2023,Gold star"), encoding="utf-8")
    rows = {r["person_id"]: r for r in sample_rows(register, "--seed", "1")}
    assert "VET-01 (unverified) DBS level is 'Gold star' (unreadable" in rows["P010"]["why"]
    assert "VET-01 DBS level is basic" in rows["P005"]["why"]
