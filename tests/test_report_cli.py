"""`report ANSWERS` end to end: the examples, every format, and bad input."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from cli_support import run

ROOT = Path(__file__).resolve().parent.parent
SEED_LIKE = ROOT / "examples" / "unofficial-school-scheme.yaml"
COMPLIANT = ROOT / "examples" / "official-unit.yaml"
FORMATS = ("terminal", "markdown", "html", "json", "csv")


def report_json(path: Path, *extra: str) -> dict:
    code, out, err = run("report", str(path), "--format", "json", *extra)
    assert code == 0, err
    return json.loads(out)


def test_seed_like_scheme_is_red_with_the_seed_gaps() -> None:
    scheme = report_json(SEED_LIKE)["schemes"][0]
    assert scheme["rating"] == "red"
    gaps = {f["control_id"] for f in scheme["findings"] if f["status"] == "gap"}
    # calls itself cadets, no teacher present, force-arranged trips, personal social media
    assert {"NAM-01", "SUP-04", "TRP-01", "SOC-03"} <= gaps
    assert any("critical gap" in r for r in scheme["rating_reasons"])


def test_compliant_unit_is_green() -> None:
    scheme = report_json(COMPLIANT)["schemes"][0]
    assert scheme["rating"] == "green"
    assert scheme["score"] >= 85 and scheme["coverage"] >= 75


def test_not_applicable_findings_carry_their_reason() -> None:
    scheme = report_json(COMPLIANT)["schemes"][0]
    sup4 = next(f for f in scheme["findings"] if f["control_id"] == "SUP-04")
    assert sup4["status"] == "not_applicable"
    assert "unofficial" in sup4["reason"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("example", [SEED_LIKE, COMPLIANT], ids=["seed-like", "compliant"])
def test_every_format_renders_both_examples(fmt: str, example: Path, tmp_path: Path) -> None:
    out = tmp_path / f"report.{fmt}"
    code, _, err = run("report", str(example), "--format", fmt, "-o", str(out))
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    name = "Oakfield Primary Police Cadets" if example == SEED_LIKE else "Eastfield"
    assert name in text
    if fmt != "csv":
        assert ("red" if example == SEED_LIKE else "green") in text.lower()


def test_terminal_report_on_stdout_names_gaps_and_remediation() -> None:
    code, out, _ = run("report", str(SEED_LIKE))
    assert code == 0
    assert "SUP-04" in out and "TRP-01" in out
    assert "RED" in out.upper()


def test_fail_on_exit_codes() -> None:
    assert run("report", str(SEED_LIKE), "--format", "json", "--fail-on", "critical")[0] == 1
    assert run("report", str(COMPLIANT), "--format", "json", "--fail-on", "low")[0] == 0


def test_as_of_is_recorded() -> None:
    assert report_json(SEED_LIKE, "--as-of", "2027-01-31")["as_of"] == "2027-01-31"
    assert report_json(SEED_LIKE)["as_of"] == "2026-11-22"  # from the answers file


def answers_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text("format: youthscheme-audit/answers@1\nmode: self\n" + body)
    return path


BAD_INPUTS = {
    "missing": (None, "file not found"),
    "invalid-yaml": ("profile: [\n", "invalid YAML"),
    "alias-bomb": ("a: &a [x, x]\nb: &b [*a, *a]\n", "anchors"),
    "bad-answer": ("answers:\n  GOV-01: maybe\n",
                   "answers.yaml:4: GOV-01: answer 'maybe' is not one of yes, no, partial, na, "
                   "unknown"),
    "bad-answer-long": ("answers:\n  GOV-01:\n    answer: sometimes\n",
                        "answers.yaml:5: GOV-01: answer 'sometimes' is not one of"),
    "unknown-control": ("answers:\n  GOV-99: yes\n",
                        "answers.yaml:4: 'GOV-99' is not a control"),
    "bad-profile": ("profile:\n  scheme_type: pirate\n",
                    "answers.yaml:4: scheme type must be one of official, unofficial, force"),
    "unknown-key": ("colour: blue\n", "answers.yaml:3: unknown key 'colour'"),
    # fromisoformat alone would take these ISO 8601 basic and week forms
    "as-of-basic": ("as_of: '20251231'\n", "answers.yaml:3: 'as_of' must be a date YYYY-MM-DD"),
    "as-of-week": ("as_of: 2025-W01-1\n", "answers.yaml:3: 'as_of' must be a date YYYY-MM-DD"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_is_one_line_exit_two_fast(case: str, tmp_path: Path) -> None:
    body, expected = BAD_INPUTS[case]
    path = tmp_path / "answers.yaml" if body is None else answers_file(tmp_path, body)
    start = time.perf_counter()
    code, out, err = run("report", str(path))
    assert time.perf_counter() - start < 1.0
    assert code == 2
    assert expected in err
    assert err.startswith("error: ") and err.count("\n") == 1
    assert "Traceback" not in err and out == ""


def test_not_an_answers_file(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("hello: world\n")
    code, _, err = run("report", str(path))
    assert code == 2 and "not a youthscheme-audit answers file" in err


def test_failed_output_never_replaces_a_good_one(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    out.write_text("previous good report")
    code, _, _ = run("report", str(tmp_path / "absent.yaml"), "--format", "html", "-o", str(out))
    assert code == 2
    assert out.read_text() == "previous good report"


def test_waivers_change_exactly_the_waived_finding(tmp_path: Path) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        "waivers:\n"
        "  - control_id: GOV-08\n    justification: New venue risk assessment booked.\n"
        "    approved_by: Supt J. Doe\n    expires: 2027-01-31\n"
        "  - control_id: GOV-06\n    justification: Policy being written.\n"
        "    approved_by: Supt J. Doe\n    expires: 2026-10-01\n"
    )
    plain = report_json(SEED_LIKE)["schemes"][0]
    waived = report_json(SEED_LIKE, "--waivers", str(waivers))["schemes"][0]
    changed = [
        (a["control_id"], a["status"], b["status"])
        for a, b in zip(plain["findings"], waived["findings"], strict=True)
        if a["status"] != b["status"]
    ]
    assert changed == [("GOV-08", "gap", "waived")]
    gov8 = next(f for f in waived["findings"] if f["control_id"] == "GOV-08")
    assert gov8["waiver"]["approved_by"] == "Supt J. Doe"
    assert [w["control_id"] for w in waived["expired_waivers"]] == ["GOV-06"]
    assert waived["score"] > plain["score"]
    assert waived["score_without_waivers"] == plain["score"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("waivers:\n  - control_id: GOV-77\n    justification: j\n    approved_by: a\n"
         "    expires: 2027-01-01\n", "waivers.yaml:2: 'GOV-77' is not a control"),
        ("waivers:\n  - control_id: GOV-08\n    justification: j\n    approved_by: a\n"
         "    expires: soon\n", "waivers.yaml:5: expires must be a date"),
        ("waivers:\n  - control_id: GOV-08\n    justification: j\n    approved_by: a\n"
         "    expires: '20271231'\n", "waivers.yaml:5: expires must be a date YYYY-MM-DD"),
        ("waivers:\n  - control_id: GOV-08\n    approved_by: a\n    expires: 2027-01-01\n",
         "waivers.yaml:2: waiver is missing 'justification'"),
        ("- just a list\n", "expected a top-level 'waivers:' list"),
    ],
)
def test_malformed_waivers_exit_two(body: str, expected: str, tmp_path: Path) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(body)
    code, _, err = run("report", str(SEED_LIKE), "--waivers", str(waivers))
    assert code == 2
    assert expected in err


def test_lint_checks_a_waiver_file(tmp_path: Path) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers:\n  - control_id: NOPE-01\n    justification: j\n"
                       "    approved_by: a\n    expires: 2027-01-01\n")
    code, _, err = run("lint", "--waivers", str(waivers))
    assert code == 2 and "NOPE-01" in err
