"""The columnar engine's contract: the polars fast path reads exactly what the careful
reader reads, falls back whenever it is not sure, and big tables kept as codes score
exactly as tables kept as lists."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from youthscheme_audit import csvframe
from youthscheme_audit.cli import main
from youthscheme_audit.registers import Register, read_register
from youthscheme_audit.values import BLANK, Unknown

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def example(example_csv: Path) -> Path:
    """The example register as CSV files (a BOM on schemes, adults in Windows-1252)."""
    return example_csv


def utf8_copy(example: Path, target: Path) -> Path:
    """The example CSV files, all in UTF-8 (so the fast path may read every one)."""
    target.mkdir()
    for name in ("schemes", "adults", "activities"):
        raw = (example / f"{name}.csv").read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252")
        (target / f"{name}.csv").write_text(text, encoding="utf-8", newline="")
    return target


def plain(value: Any) -> Any:
    """A cell as comparable data (Unknown compares by identity)."""
    if value is BLANK:
        return "<blank>"
    return ("<unknown>", value.raw, value.problem) if isinstance(value, Unknown) else value


def snapshot(register: Register) -> dict[str, Any]:
    """Everything a reader produced: every table's columns as lists, and every issue."""
    return {
        "tables": {name: (t.header_row, t.nrows, {c: list(map(plain, t.columns[c]))
                                                   for c in t.columns})
                   for name, t in register.tables.items()},
        "issues": [d.as_dict() for d in register.data_quality],
    }


def read_both(paths: list[Path], monkeypatch: pytest.MonkeyPatch
              ) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """(careful reader's result, default result, tables the fast path read)."""
    fast: list[str] = []
    real = csvframe.read_fast

    def spy(source: Any, spec: Any, *args: Any) -> Any:
        found = real(source, spec, *args)
        if not isinstance(found, str):
            fast.append(spec.name)
        return found

    with monkeypatch.context() as m:
        m.setattr(csvframe, "read_fast", lambda *a: "")
        careful = snapshot(read_register(paths))
    with monkeypatch.context() as m:
        m.setattr(csvframe, "read_fast", spy)
        default = snapshot(read_register(paths))
    return careful, default, fast


def csvs(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.csv"))


def test_clean_exports_are_read_by_polars_exactly_as_by_the_csv_module(
        example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = utf8_copy(example, tmp_path / "utf8")
    careful, default, fast = read_both(csvs(folder), monkeypatch)
    assert set(fast) == {"schemes", "adults", "activities"}  # title rows, odd headers: fine
    assert default == careful


def test_a_windows_1252_export_goes_to_the_careful_reader(
        example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    careful, default, fast = read_both(csvs(example), monkeypatch)
    assert "adults" not in fast  # cp1252: the careful reader decodes it and says so
    assert "schemes" in fast  # a byte-order mark alone is fine
    assert default == careful
    assert any("Windows-1252" in d["problem"] for d in default["issues"])


@pytest.mark.parametrize("mess", [
    "stray_quote", "unclosed_quote", "quoted_line_break", "ragged_long", "ragged_short",
    "blank_line", "long_cell", "lone_cr",
])
def test_messy_files_give_the_same_table_whichever_reader_reads_them(
        example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mess: str) -> None:
    folder = utf8_copy(example, tmp_path / "messy")
    path = folder / "activities.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    last = len(lines) - 2  # the last record (the file ends with a line break)
    edit = {
        "stray_quote": lambda s: s.replace(",", ',Jo"hn', 1),
        "unclosed_quote": lambda s: s.replace(",", ',"open', 1),
        "quoted_line_break": lambda s: s.replace(",", ',"two\nlines"', 1),
        "ragged_long": lambda s: s + ",extra,cells",
        "ragged_short": lambda s: s.split(",")[0],
        "blank_line": lambda s: s + "\n",
        "long_cell": lambda s: s + "," + "x" * (csvfile_limit() + 10),
        "lone_cr": lambda s: s.replace(",", ",\r", 1),
    }[mess]
    lines[last] = edit(lines[last])
    path.write_text("\n".join(lines), encoding="utf-8", newline="")
    monkeypatch.setattr(csvframe, "SMALL", 0)  # as big files are: a slower read is said
    careful, default, fast = read_both(csvs(folder), monkeypatch)
    said = [d for d in default["issues"] if "read line by line by the careful" in d["problem"]]
    default["issues"] = [d for d in default["issues"] if d not in said]
    assert default == careful, mess
    if mess in ("stray_quote", "unclosed_quote", "quoted_line_break", "ragged_long",
                "long_cell", "lone_cr"):
        assert "activities" not in fast, mess  # the careful reader accounts for every line
        # and the data-quality list says why the file took the slower way
        assert [d["table"] for d in said] == ["activities"], mess
        assert said[0]["problem"].startswith("activities.csv was read line by line"), mess
    else:
        assert not said, mess


@pytest.mark.parametrize("chunk", [1, 2, 5, 64])
def test_a_file_scanned_in_small_chunks_reads_the_same(
        example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    # chunk edges fall inside lines, inside a byte-order mark and inside characters of
    # more than one byte ("é" is two): the fast reader must still take the file, the same
    folder = utf8_copy(example, tmp_path / "utf8")
    path = folder / "adults.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"a", "\u00e9".encode(), 3))
    monkeypatch.setattr(csvframe, "SCAN_CHUNK", chunk)
    careful, default, fast = read_both(csvs(folder), monkeypatch)
    assert "adults" in fast
    assert default == careful


@pytest.mark.parametrize("data, newlines, ends, nul, utf8", [
    (b"", 0, True, False, True),
    (b"a,b\n1,2", 1, False, False, True),
    (b"a,b\n1,\xc3\xa9\n", 2, True, False, True),
    (b"a,b\n1,\xc3", 1, False, False, False),  # a character cut off at the end
    (b"a,b\n1,\xe9\n", 2, True, False, False),  # Windows-1252
    (b"a,\x00b\n", 1, True, True, True),
])
def test_the_scan_counts_lines_and_checks_bytes_across_chunks(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes, newlines: int,
        ends: bool, nul: bool, utf8: bool) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    for chunk in (1, 2, 3, 1 << 22):
        monkeypatch.setattr(csvframe, "SCAN_CHUNK", chunk)
        scan = csvframe._scan(path)
        assert (scan.head, scan.newlines, scan.ends_in_newline, scan.nul, scan.utf8) == (
            data, newlines, ends, nul, utf8), chunk


def csvfile_limit() -> int:
    from youthscheme_audit.csvfile import MAX_CELL

    return MAX_CELL


def score_json(folder: Path, out: Path) -> dict[str, Any]:
    result = CliRunner().invoke(main, ["score", str(folder), "--as-of", "2026-11-22",
                                       "--format", "json", "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    data.pop("generated_at")
    data["inputs"] = []
    return data


def test_tables_kept_as_codes_score_exactly_as_tables_kept_as_lists(
        example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Big tables skip the list-based finishing; forcing that path on the example must
    change no finding, cited row or data-quality issue."""
    folder = utf8_copy(example, tmp_path / "codes")
    as_lists = score_json(folder, tmp_path / "lists.json")
    monkeypatch.setattr(csvframe, "SMALL", 0)
    as_codes = score_json(folder, tmp_path / "codes.json")
    assert as_codes == as_lists
    with monkeypatch.context() as m:
        m.setattr(csvframe, "read_fast", lambda *a: "")
        careful = score_json(folder, tmp_path / "careful.json")
    assert careful == as_lists


def test_blank_rows_at_the_end_are_dropped_from_a_table_kept_as_codes(
        example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = utf8_copy(example, tmp_path / "tail")
    path = folder / "adults.csv"
    text = path.read_text(encoding="utf-8")
    width = text.split("\n")[0].count(",")
    path.write_text(text + ("," * width + "\n") * 3, encoding="utf-8", newline="")
    monkeypatch.setattr(csvframe, "SMALL", 0)
    careful, default, fast = read_both(csvs(folder), monkeypatch)
    assert "adults" in fast and default == careful


def test_the_answers_path_never_imports_polars(tmp_path: Path) -> None:
    """A walk's report needs no frames: polars loads only with a register."""
    shutil.copy(ROOT / "examples" / "official-unit.yaml", tmp_path / "a.yaml")
    code = (
        "import sys\n"
        "from youthscheme_audit.cli import main\n"
        f"sys.argv = ['youthscheme-audit', 'report', {str(tmp_path / 'a.yaml')!r}, "
        "'--as-of', '2026-11-22']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('polars' in sys.modules, file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stderr.strip().splitlines()[-1] == "False"


def test_combinations_too_many_for_one_key_are_judged_row_by_distinct_row() -> None:
    """Four columns of 70,000 distinct values each cannot fold into one 64-bit key: the
    combinations are then found as rows, and judged exactly as each row would be."""
    import polars as pl

    from youthscheme_audit.frames import Coded, per_distinct

    n = 70_000
    coded = {f"c{k}": Coded(cells=[(i * (k + 1)) % n for i in range(n)]) for k in range(4)}
    codes = per_distinct(coded, n, list(coded), lambda v: sum(v.values()) % 5,
                         dtype=pl.UInt8).to_list()
    assert codes == [sum((i * (k + 1)) % n for k in range(4)) % 5 for i in range(n)]
    few = {"c0": coded["c0"], "c1": Coded(cells=[i % 3 for i in range(n)])}
    folded = per_distinct(few, n, list(few), lambda v: (v["c0"] + v["c1"]) % 7).to_list()
    assert folded == [(i + i % 3) % 7 for i in range(n)]


def test_score_says_in_data_quality_why_a_big_file_took_the_careful_reader(
        example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the real command: a (big) activities file with a quoted line break is read
    in full by the careful reader, and the JSON result's data quality says so once."""
    folder = utf8_copy(example, tmp_path / "said")
    path = folder / "activities.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    head, _, _ = lines[-2].rpartition(",")
    lines[-2] = head + ',"two\nlines"'  # the last cell holds a line break, as Alt+Enter writes
    path.write_text("\n".join(lines), encoding="utf-8", newline="")
    monkeypatch.setattr(csvframe, "SMALL", 0)
    data = score_json(folder, tmp_path / "said.json")
    said = [d for d in data["data_quality"] if "careful CSV reader" in d["problem"]]
    assert [(d["table"], d["row"]) for d in said] == [("activities", 0)]
    # the example is short: the break is among the lines searched for the header
    assert "a quoted cell near the header spans lines" in said[0]["problem"]
    rows = sum(len(u["rows"]) for u in data["unlisted_schemes"])
    assert rows == 1  # the example's one unlisted adult, nothing lost or invented


def test_rows_with_the_same_values_share_an_explanation_but_cite_their_own_record(
        example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Explanations are worked out once per distinct set of the values a check reads and
    whether the row's scope was unsure: two late risk assessments with the same dates
    read the same, each under its own activity and row, and the one whose type is out of
    the vocabulary says that it cannot tell whether the rule applies."""
    folder = utf8_copy(example, tmp_path / "same")
    path = folder / "activities.csv"
    late = "2026-10-01,{kind},Scheme,Y,Y,2,10,2026-10-09,Y,Y"
    rows = [("A-9001", "Residential"), ("A-9002", "Residential"), ("A-9003", "Force open day")]
    extra = "".join(f"S-002,{a},{late.format(kind=k)}\n" for a, k in rows)
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8", newline="")
    monkeypatch.setattr(csvframe, "SMALL", 0)  # the activities kept as codes
    data = score_json(folder, tmp_path / "same.json")
    scheme = next(s for s in data["schemes"] if s["scheme_id"] == "S-002")
    cited = {c["record"]: (c["row"], m) for f in scheme["findings"]
             for c, m in zip(f.get("citations", ()), f["evidence"], strict=False)
             if c["record"] in {a for a, _ in rows}}
    assert sorted(cited) == ["A-9001", "A-9002", "A-9003"]
    (row1, first), (row2, second), (_, unsure) = (cited[a] for a, _ in rows)
    assert row2 == row1 + 1
    assert first.startswith(f"activity A-9001 (row {row1}): ")
    assert second == first.replace(f"A-9001 (row {row1})", f"A-9002 (row {row2})")
    assert "cannot tell" not in first
    assert "cannot tell whether the rule applies" in unsure and "Force open day" in unsure


# dates in the two layouts read natively, at their edges, and their near misses
TRICKY_DATES = [
    "2024-01-05", "05/01/2024", "1900-01-01", "01/01/1900", "2100-12-31", "31/12/2100",
    "1899-12-31", "31/12/1899", "2101-01-01", "01/01/2101",  # years out of range
    "2023-02-29", "29/02/2023", "2024-02-29", "29/02/2024", "2024-02-30", "31/04/2024",
    "2024-13-01", "2024-00-10", "2024-01-00", "00/01/2024", "12/13/2024", "13/13/2024",
    "2024-1-5", "5/1/2024", "05-01-2024", "05.01.2024", "2024/01/05", " 2024-01-05",
    "2024-01-05 ", "2024-01-05T10:00", "05/01/24", "45123", "TBC", "", "not yet",
    "0000-00-00", "9999-99-99", "2024-01-05\u00a0", "２０２４-01-05",
]


def test_dates_read_natively_are_what_the_tool_s_own_parser_makes_of_them() -> None:
    import polars as pl

    from youthscheme_audit.frames import native_dates
    from youthscheme_audit.values import parse_date

    texts = pl.Series(TRICKY_DATES, dtype=pl.String)
    asked: list[str] = []

    def parse(raw: str) -> Any:
        asked.append(raw)
        return parse_date(raw)

    got = native_dates(texts, parse)
    assert list(map(plain, got)) == [plain(parse_date(t)) for t in TRICKY_DATES]
    # the plain real dates in range were read natively, every other text by the parser
    native = {"2024-01-05", "05/01/2024", "1900-01-01", "01/01/1900", "2100-12-31",
              "31/12/2100", "2024-02-29", "29/02/2024"}
    assert set(asked) == set(TRICKY_DATES) - native
