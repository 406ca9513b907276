"""Register value parsers: one table of cases per value type."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from youthscheme_audit import values
from youthscheme_audit.tables import BASE_TYPES, TABLES, VOCABULARIES
from youthscheme_audit.values import (
    BLANK,
    PARSERS,
    ColumnParser,
    Unknown,
    parse_bool,
    parse_column,
    parse_date,
    parse_int,
    parse_text,
)

D = dt.date

PLACEHOLDERS = ["TBC", "tba", "N/A", "NA", "n/a", "pending", "Applied", "unknown", "?", "-",
                "see HR", "Awaiting", "Pending - submitted 03/2024", "applied for"]


def known(value: Any) -> bool:
    return not isinstance(value, Unknown)


def test_every_column_type_has_a_parser() -> None:
    types = {c.type for t in TABLES.values() for c in t.columns}
    assert types <= set(PARSERS)
    assert set(PARSERS) == set(BASE_TYPES) | set(VOCABULARIES)


# --- placeholders and blanks -----------------------------------------------------------


@pytest.mark.parametrize("type_name", sorted(PARSERS))
@pytest.mark.parametrize("raw", ["", "   ", "\u00a0", None])
def test_blank_is_the_shared_blank(type_name: str, raw: Any) -> None:
    assert PARSERS[type_name](raw) is BLANK


@pytest.mark.parametrize("type_name", sorted(set(PARSERS) - {"text"}))
@pytest.mark.parametrize("raw", PLACEHOLDERS)
def test_placeholders_are_unknown_without_a_problem(type_name: str, raw: str) -> None:
    value = PARSERS[type_name](raw)
    assert isinstance(value, Unknown)
    assert value.problem is None
    assert value.raw == raw.strip()


# --- text ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Ann Smith  ", "Ann Smith"),
        ("Ann\u00a0", "Ann"),
        ("\u200bP-01\ufeff", "P-01"),
        (1234.0, "1234"),
        (1234, "1234"),
        (12.5, "12.5"),
        (D(2024, 3, 1), "2024-03-01"),
        (dt.datetime(2024, 3, 1, 0, 0), "2024-03-01"),
        (True, "TRUE"),
        ("None", "None"),  # "approval conditions: none" is a value
        ("李小龍", "李小龍"),
        ("Zoë", "Zoë"),
    ],
)
def test_text(raw: Any, expected: str) -> None:
    assert parse_text(raw) == expected


@pytest.mark.parametrize("raw", ["TBC", "n/a", "-", "?", "--", "see HR", "Unknown"])
def test_text_placeholders(raw: str) -> None:
    value = parse_text(raw)
    assert isinstance(value, Unknown) and value.problem is None and value.raw == raw


# --- yes / no --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["Y", "y", "yes", "YES", "true", "TRUE", "1", "x", "X", "✓", "✔", "Yes – 2019",
     "yes (2021)", "Yes - signed", "signed", True, 1, 1.0, D(2024, 3, 1),
     dt.datetime(2024, 3, 1, 9, 30), "12/03/2024", "2024-03-12", " y "],
)
def test_bool_true(raw: Any) -> None:
    assert parse_bool(raw) is True


@pytest.mark.parametrize(
    "raw", ["N", "n", "no", "No", "false", "FALSE", "0", "✗", "✘", "no - not signed",
            "No (expired)", "not signed", "none", False, 0, 0.0],
)
def test_bool_false(raw: Any) -> None:
    assert parse_bool(raw) is False


@pytest.mark.parametrize("raw", ["maybe", "2", 2, 0.5, "31/02/2025", dt.time(9, 0)])
def test_bool_unreadable(raw: Any) -> None:
    value = parse_bool(raw)
    assert isinstance(value, Unknown) and value.problem == "not yes or no"


# --- dates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-01", D(2024, 3, 1)),
        (" 2024-03-01 ", D(2024, 3, 1)),
        ("2024-03-01 10:15:00", D(2024, 3, 1)),
        ("2024-03-01T10:15:00Z", D(2024, 3, 1)),
        ("2024/03/01", D(2024, 3, 1)),
        ("01/03/2024", D(2024, 3, 1)),
        ("1/3/2024", D(2024, 3, 1)),
        ("01/03/2024 00:00", D(2024, 3, 1)),
        ("1/3/24", D(2024, 3, 1)),
        ("1/3/75", D(1975, 3, 1)),
        ("05/06/49", D(2049, 6, 5)),
        ("05/06/50", D(1950, 6, 5)),
        ("01-03-2024", D(2024, 3, 1)),
        ("01.03.2024", D(2024, 3, 1)),
        ("02-Mar-2019", D(2019, 3, 2)),
        ("2-mar-19", D(2019, 3, 2)),
        ("02 Mar 2019", D(2019, 3, 2)),
        ("2 March 2019", D(2019, 3, 2)),
        ("2nd March 2019", D(2019, 3, 2)),
        ("2 Sept 2019", D(2019, 9, 2)),
        ("Mon 2 March 2020", D(2020, 3, 2)),
        ("March 2, 2019", D(2019, 3, 2)),
        ("29/02/2024", D(2024, 2, 29)),
        ("45123", D(2023, 7, 16)),
        (45123, D(2023, 7, 16)),
        (45123.0, D(2023, 7, 16)),
        (45123.75, D(2023, 7, 16)),
        (1, D(1900, 1, 1)),
        (59, D(1900, 2, 28)),
        (61, D(1900, 3, 1)),
        (73415, D(2100, 12, 31)),
        (D(2024, 3, 1), D(2024, 3, 1)),
        (dt.datetime(2024, 3, 1, 10, 15), D(2024, 3, 1)),
    ],
)
def test_date(raw: Any, expected: dt.date) -> None:
    value = parse_date(raw)
    assert value == expected
    assert type(value) is dt.date


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("31/02/2025", "not a real date (31 February 2025)"),
        ("29/02/2023", "not a real date (29 February 2023)"),
        ("2025-02-30", "not a real date (30 February 2025)"),
        ("31-Apr-2024", "not a real date (31 April 2024)"),
        ("03/25/2024", "not a day-first date (month 25)"),
        ("12/31/2024", "not a day-first date (month 31)"),
        ("13/13/2024", "not a real date (month 13)"),
        ("2024-13-01", "not a real date (month 13)"),
        ("00/03/2024", "not a real date (0 March 2024)"),
        ("31/12/2202", "year 2202 is outside 1900-2100"),
        ("01/01/1850", "year 1850 is outside 1900-2100"),
        (D(2202, 1, 1), "year 2202 is outside 1900-2100"),
        (60, "not a real date (Excel serial 60 is 29 February 1900)"),
        ("60", "not a real date (Excel serial 60 is 29 February 1900)"),
        (73416, "not a date (number outside Excel's date range)"),
        (0, "not a date (number outside Excel's date range)"),
        (-5, "not a date (number outside Excel's date range)"),
        ("2019", "a year, not a full date"),
        (2019, "a year, not a full date"),
        ("banana", "not a date"),
        ("March 2019", "not a date"),
        ("2 Smarch 2019", "not a date"),
        (True, "not a date"),
        (dt.time(9, 30), "a time, not a date"),
    ],
)
def test_date_unreadable(raw: Any, problem: str) -> None:
    value = parse_date(raw)
    assert isinstance(value, Unknown)
    assert value.problem == problem
    assert value.raw == values.clean(raw)


# --- whole numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2", 2), (2, 2), (2.0, 2), ("2.0", 2), (" 12 ", 12), ("1,200", 1200), ("0", 0),
     ("+3", 3), ("None", 0), ("nil", 0)],
)
def test_int(raw: Any, expected: int) -> None:
    assert parse_int(raw) == expected


@pytest.mark.parametrize(
    ("raw", "problem"),
    [("2.5", "not a whole number"), (2.5, "not a whole number"), ("two", "not a whole number"),
     ("12 (incl. teacher)", "not a whole number"), (True, "not a whole number"),
     ("-3", "a negative number"), (-3, "a negative number")],
)
def test_int_unreadable(raw: Any, problem: str) -> None:
    value = parse_int(raw)
    assert isinstance(value, Unknown) and value.problem == problem


# --- vocabularies ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("vocab", "raw", "expected"),
    [
        ("scheme_type", "official", "official"),
        ("scheme_type", "Mini Police", "official"),
        ("scheme_type", "VPC", "official"),
        ("scheme_type", "Locally-run", "unofficial"),
        ("scheme_type", "cadet-like", "unofficial"),
        ("scheme_type", "Oakfield Mini Police unit", "official"),
        ("scheme_type", "FORCE", "force"),
        ("host_type", "Oakfield Primary School", "school"),
        ("host_type", "St Mary's Church Hall", "community"),
        ("host_type", "Police Station", "police"),
        ("host_type", "other", "other"),
        ("activity_kind", "Weekly session", "session"),
        ("activity_kind", "off-site", "offsite"),
        ("activity_kind", "Day trip", "offsite"),
        ("activity_kind", "Summer camp", "residential"),
        ("activity_kind", "deployment", "deployment"),
        ("arranged_by", "PCSO Smith", "force"),
        ("arranged_by", "Police", "force"),
        ("arranged_by", "Oakfield Primary School", "school"),
        ("arranged_by", "Unit leaders", "scheme"),
        ("arranged_by", "parents", "other"),
        ("account_type", "Corporate", "official"),
        ("account_type", "personal", "personal"),
        ("direction", "YP to adult", "to_adult"),
        ("direction", "to_young_person", "to_young_person"),
        ("direction", "Adult to young person", "to_young_person"),
        ("direction", "Inbound", "to_adult"),
        ("dbs_level", "Enhanced", "enhanced"),
        ("dbs_level", "enhanced_barred", "enhanced_barred"),
        ("dbs_level", "Enhanced + barred, update service", "enhanced_barred"),
        ("dbs_level", "Enhanced with children's barred list", "enhanced_barred"),
        ("dbs_level", "Enhanced DBS (child workforce, barred list checked)", "enhanced_barred"),
        ("dbs_level", "Enhanced - no barred list", "enhanced"),
        ("dbs_level", "Enhanced without children's barred list", "enhanced"),
        ("dbs_level", "Enhanced with adult barred list", "enhanced"),
        ("dbs_level", "Enhanced (2019)", "enhanced"),
        ("dbs_level", "Basic DBS", "basic"),
        ("dbs_level", "standard", "standard"),
    ],
)
def test_vocabulary(vocab: str, raw: str, expected: str) -> None:
    assert PARSERS[vocab](raw) == expected


@pytest.mark.parametrize(
    ("vocab", "raw", "problem"),
    [
        ("scheme_type", "youth club", "not one of official, unofficial, force"),
        ("dbs_level", "frog", "not one of basic, standard, enhanced, enhanced_barred"),
        ("account_type", "team", "not one of official, personal"),
        ("direction", "sideways", "not one of to_adult, to_young_person"),
        ("arranged_by", "School police liaison", "ambiguous: could be force or school"),
        ("activity_kind", "Visit to camp", "ambiguous: could be offsite or residential"),
        ("account_type", "Personal account of PCSO", "not one of official, personal"),
    ],
)
def test_vocabulary_unreadable(vocab: str, raw: str, problem: str) -> None:
    value = PARSERS[vocab](raw)
    assert isinstance(value, Unknown) and value.problem == problem and value.raw == raw


@pytest.mark.parametrize("vocab", sorted(VOCABULARIES))
def test_every_value_and_synonym_reads_back(vocab: str) -> None:
    for value, synonyms in VOCABULARIES[vocab].items():
        for spelling in (value, *synonyms):
            assert PARSERS[vocab](spelling.upper()) == value, spelling


# --- columns ---------------------------------------------------------------------------


def test_parse_column_parses_each_distinct_value_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []

    def counting(raw: Any) -> Any:
        calls.append(raw)
        return parse_date(raw)

    monkeypatch.setitem(PARSERS, "date", counting)
    raw = ["01/03/2024", "TBC", "01/03/2024", "31/02/2025", "TBC", "31/02/2025", ""] * 100
    parsed = parse_column("date", raw)
    assert sorted(calls, key=str) == sorted(set(raw), key=str)
    assert len(parsed) == len(raw)
    assert parsed[0] == D(2024, 3, 1)
    assert parsed[1] is parsed[4]  # one Unknown per distinct raw value
    assert parsed[3] is parsed[5]
    assert parsed[6] is BLANK


def test_column_parser_reports_bad_values_in_every_chunk() -> None:
    parser = ColumnParser("date")
    first, bad1 = parser(("01/03/2024", "31/02/2025", "TBC", "31/02/2025"))
    second, bad2 = parser(("TBC", "01/03/2024", "01/03/2024"))
    third, bad3 = parser(("31/02/2025",))
    assert bad1 == {"31/02/2025"}
    assert bad2 == set()
    assert bad3 == bad1  # a bad value seen before is still reported for its new rows
    assert first[0] is second[1] is second[2]
    assert first[1] is first[3] is third[0] is parser.bad["31/02/2025"]
    assert first[2] is second[0]


def test_columns_of_one_type_share_a_cache() -> None:
    caches: dict[str, Any] = {}
    a, b = ColumnParser("date", caches), ColumnParser("date", caches)
    (x,), _ = a(("01/03/2024",))
    (y,), _ = b(("01/03/2024",))
    assert x is y


def test_mostly_unique_text_switches_to_direct_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(values, "DIRECT_AFTER", 10)
    parser = ColumnParser("text")
    out: list[Any] = []
    for start in range(0, 100, 10):
        chunk = tuple(f" P-{i} " for i in range(start, start + 10))
        out.extend(parser(chunk)[0])
    assert parser.direct
    assert out == [f"P-{i}" for i in range(100)]
    assert parser(("TBC", ""))[0][1] is BLANK


def test_cache_limit_keeps_results_right(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(values, "CACHE_LIMIT", 5)
    parser = ColumnParser("int")
    out: list[Any] = []
    for start in range(0, 40, 4):
        out.extend(parser(tuple(str(i) for i in range(start, start + 4)))[0])
    assert out == list(range(40))
    assert len(parser.cache) <= 5 + 4
