"""Fuzzing the register reader (CSV bytes) and the answers loader (YAML text) with hypothesis.

Through the library entry points the CLI calls (``read_register`` and ``register_report``,
``answers_report``): every input either reads or raises an ``AuditError`` (the CLI's exit 2),
never anything else, and every row of a CSV is accounted for: read as a scheme, or named in
the data-quality list. A failing example is one a user could send; hypothesis prints it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from youthscheme_audit.catalog import Catalog, require_catalog
from youthscheme_audit.errors import AuditError
from youthscheme_audit.pipeline import answers_report, register_report
from youthscheme_audit.registers import read_register
from youthscheme_audit.report import report_dict

FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "120")), deadline=None,
                database=None, derandomize="FUZZ_EXAMPLES" not in os.environ,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
COLUMNS = ["scheme_id", "scheme_name", "host_name", "age_min", "age_max", "approval_date",
           "central_registration", "scheme_type"]
TEXT = st.one_of(st.text(alphabet='ab,;"\n\r \t1-9/£éZ\x1b\x07', max_size=12),
                 st.sampled_from(["TBC", "N/A", "", "99999999999", "31/02/2025", "Y"]))
AS_OF = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return require_catalog()


@pytest.fixture(scope="module")
def folder() -> Any:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


@st.composite
def registers(draw: Callable[..., Any]) -> tuple[bytes, list[str]]:
    """A schemes CSV: unique ids, cells with quotes, delimiters and line breaks, some rows
    written by hand with a quote left open (as issue 11's), in UTF-8 or Windows-1252."""
    width = draw(st.integers(min_value=3, max_value=len(COLUMNS)))
    ids = [f"S-{n:03d}" for n in range(draw(st.integers(min_value=1, max_value=12)))]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(COLUMNS[:width])
    for sid in ids:
        cells = [sid] + [draw(TEXT) for _ in range(width - 1)]
        if draw(st.integers(min_value=0, max_value=5)) == 0:  # an unclosed quote, by hand
            flat = [c.replace('"', "").replace("\n", " ").replace("\r", " ").replace(",", " ")
                    for c in cells]
            at = draw(st.integers(min_value=1, max_value=width - 1))
            flat[at] = '"' + flat[at]
            out.write(",".join(flat) + "\n")
        else:
            writer.writerow(cells)
    text = out.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    return data, ids


def accounted(register: Any, ids: list[str]) -> list[str]:
    """The ids that are neither a scheme row nor named in a data-quality issue."""
    read = set(register.tables["schemes"].columns["scheme_id"])
    named = " ".join(f"{d.value} {d.problem} {d.scheme_id}" for d in register.data_quality)
    return [sid for sid in ids if sid not in read and sid not in named]


@FUZZ
@given(registers())
@example((b'scheme_id,scheme_name,host_name\nS-000,"Oak,a\nS-001,b,c\n', ["S-000", "S-001"]))
def test_every_csv_row_is_read_or_named(catalog: Catalog, folder: Path,
                                        case: tuple[bytes, list[str]]) -> None:
    data, ids = case
    path = folder / "schemes.csv"
    path.write_bytes(data)
    try:
        register = read_register([path])
    except AuditError as exc:  # exit 2: one line naming the file
        assert str(exc).startswith(str(path)) and "\n" not in str(exc)
        return
    assert accounted(register, ids) == [], (data, register.data_quality)
    report_dict(register_report(catalog, register, AS_OF))  # scoring it never raises


ANSWERS = """format: youthscheme-audit/answers@1
mode: {mode}
assessor: {assessor}
as_of: {as_of}
profile:
  scheme_name: {name}
  scheme_type: {scheme_type}
  age_min: {age}
  age_max: {age_max}
answers:
  GOV-01: {answer}
  {control}:
    answer: {answer2}
    note: {note}
"""
SCALAR = st.one_of(
    st.sampled_from(["yes", "no", "y", "n", "partial", "na", "''", "~", "true", "[]", "{}",
                     "unofficial", "official", "-1", "12", "1.10", "9" * 20, "9" * 5000,
                     "2026-02-30", "2026-11-22", "&a x", "*a", "!!python/none ''", "'\x07'",
                     '"\\x1b"', "|\n  block", "GOV-01", "[a, [b, [c]]]", "{a: {b: 1}}"]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=8),
)


@FUZZ
@given(st.fixed_dictionaries({
    "mode": SCALAR, "assessor": SCALAR, "as_of": SCALAR, "name": SCALAR,
    "scheme_type": SCALAR, "age": SCALAR, "age_max": SCALAR, "answer": SCALAR,
    "control": st.sampled_from(["GOV-02", "VET-01", "NOPE-01", "'x'", "GOV-01"]),
    "answer2": SCALAR, "note": SCALAR}))
def test_any_answers_file_loads_or_is_one_clear_error(catalog: Catalog, folder: Path,
                                                      fields: dict[str, str]) -> None:
    path = folder / "answers.yaml"
    path.write_text(ANSWERS.format(**fields), encoding="utf-8")
    try:
        result = answers_report(catalog, path)
    except AuditError as exc:  # exit 2: one printable line naming the file
        text = str(exc)
        assert text.startswith(str(path)) and text.isprintable(), text
        return
    data = report_dict(result)
    assert [s["scheme_name"] for s in data["schemes"]]
