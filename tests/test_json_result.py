"""The JSON result as written: each control's text once, UTF-8 bytes from orjson, streamed
scheme by scheme, never half-written over a good file; and the collector paused by score."""

from __future__ import annotations

import datetime as dt
import errno
import gc
import io
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from cli_support import run

from youthscheme_audit import report
from youthscheme_audit.catalog import require_catalog
from youthscheme_audit.pipeline import score_register
from youthscheme_audit.render import json_out
from youthscheme_audit.report import CONTROL_FIELDS, report_dict

ROOT = Path(__file__).resolve().parent.parent
ANSWERS = ROOT / "examples" / "unofficial-school-scheme.yaml"
SCHEMA = json.loads((ROOT / "youthscheme_audit" / "schema" / "report.schema.json").read_text(
    encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(
    SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
AS_OF = ("--as-of", "2026-11-22")
SCHEMES = """\
scheme_id,scheme_name,scheme_type,host_type,age_min,age_max,approved_by,approval_date
S1,Ünion Street Cadets — £5 club,official,police,13,17,Insp Ångström,01/02/2024
S2,Café Mini Police,unofficial,school,9,11,,
S3,Third,official,police,13,17,Insp A,01/02/2024
"""
ADULTS = """\
scheme_id,person_id,name,role,start_date,dbs_level,dbs_barred_list,dbs_issue_date
S1,P001,Zoë,leader,01/01/2023,Enhanced with barred list,Y,01/12/2022
S2,P100,Dan,leader,01/01/2023,Basic,N,01/12/2022
"""


@pytest.fixture
def register(tmp_path: Path) -> list[Path]:
    (tmp_path / "schemes.csv").write_text(SCHEMES, encoding="utf-8")
    (tmp_path / "adults.csv").write_text(ADULTS, encoding="utf-8")
    return [tmp_path / "schemes.csv", tmp_path / "adults.csv"]


def score_file(register: list[Path], out: Path) -> bytes:
    code, _, err = run("score", *map(str, register), *AS_OF, "--format", "json", "-o", str(out))
    assert code == 0, err
    return out.read_bytes()


def undated(text: str) -> str:
    return re.sub(r'"generated_at": "[^"]*"', '"generated_at": ""', text)


def test_batch_result_is_utf8_one_scheme_a_line_and_parses_back(
        register: list[Path], tmp_path: Path) -> None:
    raw = score_file(register, tmp_path / "r.json")
    text = raw.decode("utf-8")  # strict: every byte is UTF-8
    assert not raw.startswith(b"\xef\xbb\xbf"), "no byte-order mark in JSON"
    assert "Ünion Street Cadets — £5 club".encode() in raw, "non-ASCII as is, not escaped"
    assert b"\\u00dc" not in raw and b"\\u2014" not in raw
    data = json.loads(raw)
    VALIDATOR.validate(data)
    lines = [line for line in text.splitlines() if line.startswith('    {"scheme_id":')]
    assert [json.loads(line.rstrip(","))["scheme_id"] for line in lines] == ["S1", "S2", "S3"]
    assert text.startswith('{\n  "kind": "batch",\n') and text.endswith("\n}\n")
    code, out, _ = run("score", *map(str, register), *AS_OF, "--format", "json")
    assert code == 0 and undated(out) == undated(text), "standard output gets the same"


def test_findings_name_their_control_whose_text_is_written_once(
        register: list[Path], tmp_path: Path) -> None:
    raw = score_file(register, tmp_path / "r.json")
    data = json.loads(raw)
    controls = data["controls"]
    for scheme in data["schemes"]:
        assert [f["control_id"] for f in scheme["findings"]] == list(controls)
        for key in ("findings", "actions"):
            for item in scheme[key]:
                assert not set(item) & set(CONTROL_FIELDS), item
    remediation = controls["VET-01"]["remediation"]
    planned = sum(a["action"] == remediation for s in data["schemes"] for a in s["actions"])
    assert planned, "S2's gap: its action is to do what the remediation says"
    assert raw.count(json.dumps(remediation, ensure_ascii=False).encode()) == 1 + planned
    assert set(controls["VET-01"]) == set(CONTROL_FIELDS)


def test_a_single_report_is_indented_and_validates() -> None:
    code, out, err = run("report", str(ANSWERS), "--format", "json")
    assert code == 0, err
    assert out.startswith('{\n  "kind": "self",\n  "marking": ')
    data = json.loads(out)
    VALIDATOR.validate(data)
    assert data["controls"] and "title" not in data["schemes"][0]["findings"][0]


def test_a_batch_is_written_scheme_by_scheme(register: list[Path]) -> None:
    result = score_register(require_catalog(()), register, as_of=dt.date(2026, 11, 22))
    data = report_dict(result, lazy=True, compact=True)
    sink = io.BytesIO()
    written_before: list[int] = []

    def schemes() -> Iterator[dict[str, Any]]:
        for scheme in data["schemes"]:
            written_before.append(sink.tell())
            yield scheme

    json_out.write({**data, "schemes": schemes()}, sink)
    assert len(written_before) == 3
    assert written_before == sorted(set(written_before)), "each scheme out before the next"
    assert json.loads(sink.getvalue())["summary"]["schemes"] == 3


def test_a_write_failing_midway_keeps_the_old_file(
        register: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out" / "r.json"
    out.parent.mkdir()
    out.write_text("the old result")
    calls = []
    real = json_out.dumps

    def full_disk(data: Any, option: int = 0) -> bytes:
        calls.append(1)
        if len(calls) == 3:  # the head and one scheme are out
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(data, option)

    monkeypatch.setattr(json_out, "dumps", full_disk)
    code, _, err = run("score", *map(str, register), *AS_OF, "--format", "json", "-o", str(out))
    assert code == 2 and err == (f"error: {out}: cannot write (no space left on the device); "
                                 "the old file is unchanged\n")
    assert out.read_text() == "the old result"
    assert os.listdir(out.parent) == ["r.json"], "no temporary file left"


def test_an_undecodable_file_name_is_written_with_a_replacement_character(
        register: list[Path], tmp_path: Path) -> None:
    odd = tmp_path / os.fsdecode(b"schemes\xff.csv")  # a byte no encoding decodes: \udcff
    register[0].rename(odd)
    code, out, err = run("score", str(odd), str(register[1]), *AS_OF, "--format", "json")
    assert code == 0, err
    assert json.loads(out)["inputs"][0].endswith("schemes\ufffd.csv")


def test_score_pauses_the_collector_and_leaves_it_as_it_was(
        register: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    original = report.report_dict  # score imports it when it runs: watch it there

    def watched(*args: Any, **kwargs: Any) -> dict[str, Any]:
        seen.append(gc.isenabled())
        return original(*args, **kwargs)

    monkeypatch.setattr(report, "report_dict", watched)
    assert run("score", *map(str, register), *AS_OF)[0] == 0
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        assert run("score", *map(str, register), *AS_OF)[0] == 0
        assert not gc.isenabled(), "a collector someone else turned off stays off"
    finally:
        gc.enable()


def test_a_batch_with_self_assessments_validates_and_its_divergences_name_controls() -> None:
    code, out, err = run("score", str(ROOT / "examples" / "register.xlsx"), "--answers",
                         str(ROOT / "examples" / "self-assessments"), *AS_OF, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    VALIDATOR.validate(data)
    found = [d for s in data["schemes"] for d in s.get("divergences", [])]
    assert found and all(d["control_id"] in data["controls"] for d in found)
    assert not {k for d in found for k in d} & set(CONTROL_FIELDS)
