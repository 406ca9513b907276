"""Hostile CSV registers through the real command: no row lost without a word, no crash."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from cli_support import run

from youthscheme_audit.registers import read_register
from youthscheme_audit.values import Unknown

AS_OF = ("--as-of", "2026-11-22")
# issue 11's row: the quote before Session is never closed
# the issue's row, with the example register's "teacher present throughout" cell added
BROKEN = 'S-003,A-3001,2026-10-05,"Session,Scheme,,,1,9,,,N'
AFTER = [f"S-00{2 + i % 4},A-9{i:03d},2026-10-{10 + i},Session,Scheme,Y,Y,2,10,,,Y"
         for i in range(9)]
TRIP = "S-001,A-1004,03-Oct-2026,Field trip,PCSO B. Hughes,Y,Y,3,15,2026-09-28,15,Y"


@pytest.fixture
def register(example_csv: Path, tmp_path: Path) -> Path:
    """A fresh copy of the example register's CSV files to spoil."""
    out = tmp_path / "register"
    shutil.copytree(example_csv, out)
    return out


def score(directory: Path) -> dict[str, Any]:
    code, out, err = run("score", str(directory), *AS_OF, "--format", "json")
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def status(data: dict[str, Any], scheme_id: str, control: str) -> str:
    scheme = next(s for s in data["schemes"] if s["scheme_id"] == scheme_id)
    return str(next(f["status"] for f in scheme["findings"] if f["control_id"] == control))


def test_an_unclosed_quote_loses_none_of_the_ten_rows_after_it(register: Path) -> None:
    path = register / "activities.csv"
    header, *rows = path.read_text(encoding="utf-8").splitlines()
    kept = [r for r in rows if not r.startswith(("S-003,A-3001", "S-001,A-1004"))]
    # the broken row, then 10 rows; the tenth is S-001's force-arranged trip (a TRP-01 gap)
    path.write_text("\n".join([header, *kept, BROKEN, *AFTER, TRIP]) + "\n", encoding="utf-8")
    before = score(register)
    table = read_register([register]).tables["activities"]
    ids = table.columns["activity_id"]
    assert ids[-11:] == ["A-3001", *(f"A-9{i:03d}" for i in range(9)), "A-1004"]
    assert table.nrows == len(kept) + 11
    broken = ids.index("A-3001")
    assert table.columns["kind"][broken] == "session"  # read again without the quote
    assert table.columns["adults_present"][broken] == 1
    line = len(kept) + 2  # the header is line 1
    [issue] = [d for d in before["data_quality"] if "unclosed quote" in d["problem"]]
    assert issue["table"] == "activities" and issue["row"] == line
    assert issue["column"] == "kind" and issue["scheme_id"] == "S-003"
    assert f"line {line} of activities.csv" in issue["problem"]
    assert status(before, "S-001", "TRP-01") == "gap"  # the trip after the break still counts


def test_a_cell_that_really_holds_a_line_break_is_one_cell(register: Path) -> None:
    path = register / "schemes.csv"
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    at = next(i for i, row in enumerate(rows) if row and row[0] == "S-001")
    rows[at] = [cell.replace("; ", ";\n") for cell in rows[at]]  # as Excel writes Alt+Enter
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    reg = read_register([register])
    conditions = reg.tables["schemes"].columns["approval_conditions"][0]
    assert conditions == "No force trips;\nteacher always present;\nno 'cadet'"
    assert reg.tables["schemes"].columns["scheme_id"][:2] == ["S-001", "S-002"]
    assert not [d for d in reg.data_quality if "quote" in d.problem]


def test_a_quote_that_closes_on_a_later_row_is_still_caught(tmp_path: Path) -> None:
    (tmp_path / "schemes.csv").write_text(
        "scheme_id,scheme_name,host_name\nS-1,a,\"b\nS-2,\"x\ny\",z\nS-3,c,d\n", encoding="utf-8")
    reg = read_register([tmp_path / "schemes.csv"])
    assert reg.tables["schemes"].columns["scheme_id"] == ["S-1", "S-2", "S-3"]
    assert reg.tables["schemes"].columns["scheme_name"][1] == "x\ny"
    assert [(d.row, d.column) for d in reg.data_quality] == [(2, "host_name")]


def test_a_quote_left_open_on_the_last_line_is_noted(tmp_path: Path) -> None:
    (tmp_path / "schemes.csv").write_text(
        "scheme_id,scheme_name,host_name,force\nS-1,a,b,c\nS-2,\"Oak,Lane,x\n", encoding="utf-8")
    reg = read_register([tmp_path / "schemes.csv"])
    assert reg.tables["schemes"].columns["host_name"] == ["b", "Lane"]
    assert ["unclosed quote on line 3" in d.problem for d in reg.data_quality] == [True]


def test_a_cell_over_the_csv_module_limit_is_read_and_noted(tmp_path: Path) -> None:
    long = "n" * 200_000
    (tmp_path / "schemes.csv").write_text(
        f"scheme_id,approval_conditions\nS-1,{long}\nS-2,none\n", encoding="utf-8")
    code, out, err = run("score", str(tmp_path / "schemes.csv"), *AS_OF, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert [s["scheme_id"] for s in data["schemes"]] == ["S-1", "S-2"]
    [issue] = data["data_quality"]
    assert issue["row"] == 2 and issue["column"] == "approval_conditions"
    assert "a cell of 200,000 characters (over 131,072) on line 2" in issue["problem"]


def test_one_cp1252_byte_in_a_utf8_file_keeps_the_utf8_names(tmp_path: Path) -> None:
    body = "scheme_id,scheme_name\nS-1,Ysgol Gymraeg Pen-y-bryn – Côr\nS-2,Fee £5\n"
    raw = body.encode("utf-8").replace("£".encode(), b"\xa3")  # '£' typed in Windows-1252
    (tmp_path / "schemes.csv").write_bytes(raw)
    reg = read_register([tmp_path / "schemes.csv"])
    assert reg.tables["schemes"].columns["scheme_name"] == ["Ysgol Gymraeg Pen-y-bryn – Côr",
                                                           "Fee £5"]
    [issue] = reg.data_quality
    assert issue.row == 0
    assert issue.problem == ("schemes.csv is UTF-8 except for 1 line (first: line 3) read as "
                             "Windows-1252; check those names")


def test_an_old_windows_1252_export_is_read_and_said(tmp_path: Path) -> None:
    (tmp_path / "schemes.csv").write_bytes("scheme_id,scheme_name\nS-1,Côr\n".encode("cp1252"))
    reg = read_register([tmp_path / "schemes.csv"])
    assert reg.tables["schemes"].columns["scheme_name"] == ["Côr"]
    assert [d.problem for d in reg.data_quality] == [
        "schemes.csv was read as Windows-1252, not UTF-8 (first non-UTF-8 byte on line 2); "
        "save it as CSV UTF-8"]


def test_a_byte_neither_encoding_has_is_refused_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "schemes.csv").write_bytes(b"scheme_id\nS-1\nS-2\x81\n")
    code, _, err = run("score", str(tmp_path / "schemes.csv"))
    assert code == 2
    assert err == f"error: {tmp_path / 'schemes.csv'}: line 3: not UTF-8 or Windows-1252 text\n"


@pytest.mark.parametrize("digits", [5_000, 8])
def test_huge_numbers_in_a_register_are_data_quality_issues(tmp_path: Path, digits: int) -> None:
    huge = "9" * digits
    (tmp_path / "schemes.csv").write_text(
        f"scheme_id,scheme_type,age_min,age_max\nS-1,unofficial,{huge},12\n", encoding="utf-8")
    (tmp_path / "activities.csv").write_text(
        "scheme_id,activity_id,kind,adults_present,young_people_present\n"
        f"S-1,A-1,session,1,{huge}\nS-1,A-2,session,{huge},10\n", encoding="utf-8")
    code, out, err = run("score", str(tmp_path), *AS_OF, "--format", "json")
    assert code == 0, err
    issues = json.loads(out)["data_quality"]
    assert [(d["table"], d["column"]) for d in issues] == [
        ("schemes", "age_min"), ("activities", "young_people_present"),
        ("activities", "adults_present")]
    assert all("out of range (a count or age is at most 1,000,000)" in d["problem"]
               for d in issues)
    assert all(len(d["value"]) < 80 for d in issues)


def test_age_min_above_age_max_on_a_schemes_row(tmp_path: Path) -> None:
    (tmp_path / "schemes.csv").write_text(
        "scheme_id,scheme_type,age_min,age_max\nS-1,unofficial,14,9\nS-2,unofficial,9,14\n",
        encoding="utf-8")
    reg = read_register([tmp_path / "schemes.csv"])
    schemes = reg.tables["schemes"]
    assert isinstance(schemes.columns["age_min"][0], Unknown)
    assert isinstance(schemes.columns["age_max"][0], Unknown)
    assert schemes.columns["age_min"][1] == 9
    assert [(d.row, d.column, d.value, d.problem) for d in reg.data_quality] == [
        (2, "age_min", "14 > 9", "age_min 14 is above age_max 9; both ages are treated as "
                                 "unknown")]


def test_a_header_only_schemes_file_is_nothing_to_score(tmp_path: Path) -> None:
    (tmp_path / "schemes.csv").write_text("scheme_id,scheme_name\n", encoding="utf-8")
    code, _, err = run("score", str(tmp_path / "schemes.csv"))
    assert code == 2
    assert err == (f"error: {tmp_path / 'schemes.csv'}: schemes: no scheme rows below the header "
                   "(row 1): nothing to score\n")
