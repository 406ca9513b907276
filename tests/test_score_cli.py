"""`score REGISTER...` end to end on the example register, its CSV twin and bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cli_support import run

ROOT = Path(__file__).resolve().parent.parent
REGISTER = ROOT / "examples" / "register.xlsx"
AS_OF = ("--as-of", "2026-11-22")


def score_json(*paths: Path, extra: tuple[str, ...] = ()) -> dict[str, Any]:
    code, out, err = run("score", *map(str, paths), *AS_OF, "--format", "json", *extra)
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def csv_twin(example_csv: Path) -> list[Path]:
    """The example register as CSV files (a BOM on one, Windows-1252 on another)."""
    return sorted(example_csv.glob("*.csv"))


def scheme(data: dict[str, Any], scheme_id: str) -> dict[str, Any]:
    return next(s for s in data["schemes"] if s["scheme_id"] == scheme_id)


def gaps(s: dict[str, Any]) -> set[str]:
    return {f["control_id"] for f in s["findings"] if f["status"] == "gap"}


def test_seed_like_register_scheme_is_red_with_exactly_the_seed_gaps() -> None:
    oakfield = scheme(score_json(REGISTER), "S-001")
    assert oakfield["rating"] == "red"
    # named "... Police Cadets", a force-arranged trip, a teacher who leaves after registration,
    # conditions nobody checks, PCSOs nobody supervises, a 2018 DBS
    assert gaps(oakfield) == {"NAM-01", "TRP-01", "SUP-04", "GOV-12", "SUP-11", "VET-03"}
    cited = {f["control_id"]: f["citations"] for f in oakfield["findings"] if f["citations"]}
    assert [(c["table"], c["record"], c["row"]) for c in cited["VET-03"]] == [
        ("adults", "P-101", 5)]
    assert "2018-03-02" in cited["VET-03"][0]["message"]
    assert "3 years" in cited["VET-03"][0]["threshold"]
    assert [(c["record"], c["row"]) for c in cited["TRP-01"]] == [("A-1004", 5)]
    assert [(c["record"], c["row"]) for c in cited["SUP-04"]] == [
        ("A-1002", 3), ("A-1001", 2), ("A-1002", 3)]  # absent; then not there throughout
    assert "teacher present throughout is no" in cited["SUP-04"][1]["message"]
    assert [(c["table"], c["record"]) for c in cited["GOV-12"]] == [("schemes", "S-001")] * 2
    assert [c["record"] for c in cited["SUP-11"]] == ["P-101", "P-102"]
    assert "Cadets" in cited["NAM-01"][0]["message"]


def test_every_gap_cites_its_rows_and_controls_without_evidence_are_unverified() -> None:
    data = score_json(REGISTER)
    for s in data["schemes"]:
        for f in s["findings"]:
            if f["status"] == "gap":
                assert f["citations"], (s["scheme_id"], f["control_id"])
                assert all(c["row"] > 0 and c["message"] for c in f["citations"])
            if f["control_id"] == "SUP-05" and f["status"] != "not_applicable":
                assert f["status"] == "unverified"  # no register can show this


def test_unreadable_values_are_listed_with_spreadsheet_rows() -> None:
    issues = score_json(REGISTER)["data_quality"]
    bad_date = next(i for i in issues if i["value"] == "31/02/2025")
    assert (bad_date["table"], bad_date["row"], bad_date["column"]) == (
        "adults", 10, "safeguarding_training_date")
    assert "not a real date" in bad_date["problem"]
    assert not [i for i in issues if i["value"] == "S-009"]  # a finding of its own:
    unlisted = score_json(REGISTER)["unlisted_schemes"]
    assert unlisted == [{"scheme_id": "S-009", "tables": {"adults": 1},
                         "rows": [{"table": "adults", "row": 16, "record": "P-901"}]}]


def comparable(data: dict[str, Any]) -> Any:
    return [(s["scheme_id"], s["score"], s["coverage"], s["rating"], s["findings"])
            for s in data["schemes"]], data["data_quality"]


def test_csv_twin_gives_the_same_findings(csv_twin: list[Path]) -> None:
    from_csv = score_json(*csv_twin)
    # the CSV twin writes adults.csv in Windows-1252, as old exports do, and says so
    encoding = [i for i in from_csv["data_quality"] if "Windows-1252" in i["problem"]]
    assert [(i["table"], i["row"]) for i in encoding] == [("adults", 0)]
    from_csv["data_quality"].remove(encoding[0])
    assert comparable(from_csv) == comparable(score_json(REGISTER))


def test_names_only_with_show_names() -> None:
    plain = json.dumps(score_json(REGISTER))
    assert "Ben Hughes" not in plain and "P-101" in plain
    named = json.dumps(score_json(REGISTER, extra=("--show-names",)))
    assert "P-101 (Ben Hughes)" in named


def test_league_table_worst_first_on_terminal() -> None:
    code, out, _ = run("score", str(REGISTER), *AS_OF)
    assert code == 0
    order = [sid for sid in ("S-001", "S-002", "S-003", "S-004", "S-005") if sid in out]
    assert len(order) == 5
    assert out.index("S-003") < out.index("S-002")  # red before amber


def test_piped_league_is_aligned_and_cuts_long_names(tmp_path: Path) -> None:
    long_name = "The Very Long Named Community Youth Safety Scheme of Northshire"
    (tmp_path / "schemes.csv").write_text(
        "scheme_id,scheme_name,scheme_type\n"
        f"S-1,{long_name},unofficial\nS-22,Short,official\n", encoding="utf-8")
    code, out, err = run("score", str(tmp_path / "schemes.csv"), *AS_OF)
    assert code == 0, err
    lines = out.splitlines()
    header = next(line for line in lines if line.lstrip().startswith("#"))
    rows = [line for line in lines if "S-1 " in line or "S-22 " in line]
    assert len(rows) == 2
    column = header.index("Rating")
    assert all(row[column:].split()[0] in ("red", "amber", "green") for row in rows)
    assert long_name not in out and long_name[:39] + "…" in out


def test_per_scheme_reports_and_index(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    out.mkdir()
    code, _, err = run("score", str(REGISTER), *AS_OF, "--format", "html", "-o", str(out))
    assert code == 0, err
    files = sorted(p.name for p in out.iterdir())
    assert "index.html" in files and len(files) == 6
    index = (out / "index.html").read_text()
    assert "S-001" in index and "Oakfield Primary Police Cadets" in index


def test_fail_on_critical() -> None:
    code, _, _ = run("score", str(REGISTER), *AS_OF, "--format", "json", "--fail-on", "critical")
    assert code == 1


def test_waivers_for_one_scheme(tmp_path: Path) -> None:
    waivers = tmp_path / "w.yaml"
    waivers.write_text(
        "waivers:\n  - control_id: VET-03\n    scheme_id: S-001\n"
        "    justification: Renewal applied for 2026-11-01.\n    approved_by: Supt A. Khan\n"
        "    expires: 2026-12-31\n")
    data = score_json(REGISTER, extra=("--waivers", str(waivers)))
    oakfield = scheme(data, "S-001")
    assert gaps(oakfield) == {"NAM-01", "TRP-01", "SUP-04", "GOV-12", "SUP-11"}
    assert oakfield["score"] > oakfield["score_without_waivers"]
    assert "VET-03" in gaps(scheme(data, "S-005"))  # scheme-specific waiver only


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("missing", "file not found"),
        ("text", "not"),
        ("no-schemes", "no 'schemes'"),
        ("corrupt-xlsx", "not a readable XLSX workbook"),
    ],
)
def test_not_a_register_is_exit_two(setup: str, expected: str, tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    if setup == "text":
        path = tmp_path / "notes.txt"
        path.write_text("just some notes\n")
    elif setup == "no-schemes":
        path = tmp_path / "adults.csv"
        path.write_text("scheme_id,person_id\nS1,P1\n")
    elif setup == "corrupt-xlsx":
        path = tmp_path / "register.xlsx"
        path.write_bytes(b"PK\x03\x04 this is not really a workbook")
    code, out, err = run("score", str(path))
    assert code == 2, err
    assert expected in err and str(path.name) in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_mapping_with_unknown_column_is_exit_two(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("columns:\n  adults:\n    Cert Date: dbs_dat\n")
    code, _, err = run("score", str(REGISTER), "--mapping", str(mapping))
    assert code == 2
    assert "mapping.yaml:3" in err and "dbs_dat" in err


def test_mapping_maps_an_unrecognised_header(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("columns:\n  schemes:\n    School / venue: host_name\n")
    data = score_json(REGISTER, extra=("--mapping", str(mapping)))
    assert not any("School / venue" in i["problem"] for i in data["data_quality"])
