"""Report renderers: exhaustive formats, escaping, CSV injection, the JSON schema, goldens.

The golden reports in tests/golden/ are rendered from fixed report dicts: a self-assessment
and a spot audit built from the answers files in tests/fixtures/render/ against the
fixture checklists there (so adding bundled controls does not change them), and a
synthetic batch. Rewrite them after an intended change with:

    python -m pytest tests/test_render.py --regen-golden

and review the diff.
"""

from __future__ import annotations

import copy
import csv
import dataclasses
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import jinja2
import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from youthscheme_audit import cli
from youthscheme_audit.catalog import Catalog, load_catalog
from youthscheme_audit.engine import apply_waivers, base_finding
from youthscheme_audit.models import Citation, DataIssue, Report, Status, Waiver
from youthscheme_audit.pipeline import answers_report
from youthscheme_audit.render import Format, renderer
from youthscheme_audit.render.common import safe_name
from youthscheme_audit.render.csv_out import COLUMNS, safe_cell, write_rows
from youthscheme_audit.render.per_scheme import EXTENSIONS, write_per_scheme
from youthscheme_audit.render.templating import md_escape, templates_dir
from youthscheme_audit.render.terminal import (
    LEAGUE_RICH_MAX,
    print_league,
    print_report,
    render_plain,
)
from youthscheme_audit.report import (
    CONTROL_FIELDS,
    build_report,
    report_dict,
    scheme_result,
    without_text,
)
from youthscheme_audit.report import (
    league as worst_first,
)

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "render"
GOLDEN = HERE / "golden"
SCHEMA = HERE.parent / "youthscheme_audit" / "schema" / "report.schema.json"
AS_OF = dt.date(2026, 11, 22)
FIXED = {"generated_at": "2026-11-22T09:00:00+00:00", "tool_version": "TEST"}
HOSTILE = '<script>alert(1)</script> "&<> [bold red]markup[/] \x1b[31m'
# fields renderers branch on: closed vocabularies, left intact when making text hostile
LOGIC_KEYS = {"kind", "status", "self_status", "severity", "rating", "as_of", "generated_at",
              "checked_by", "source"}


# --- building the fixed reports ---------------------------------------------------------


def fixture_catalog() -> Catalog:
    """The bundled profile and parameters with only the fixture controls."""
    catalog, problems = load_catalog([FIXTURES / "checklists"])
    assert not problems, problems
    areas = tuple(a for a in catalog.areas if a.id.startswith("fixture_"))
    ids = {cid for a in areas for cid in a.control_ids}
    return dataclasses.replace(
        catalog, areas=areas, controls={k: v for k, v in catalog.controls.items() if k in ids})


WAIVERS = [
    Waiver("TST-02", "S-007", "Re-vetting booked; <b>interim</b> supervision", "Supt J. Doe",
           "2027-01-31"),
    Waiver("TST-04", None, "Old waiver for the code of conduct", "Ch Insp X", "2026-01-01"),
]


def fixed(report: dict[str, Any], inputs: list[str]) -> dict[str, Any]:
    """The report with its run-dependent fields replaced by fixed values."""
    return {**report, **FIXED, "inputs": inputs}


def answers_fixture(name: str) -> Report:
    """The report of a fixture answers file."""
    return answers_report(fixture_catalog(), FIXTURES / name, AS_OF, WAIVERS)


def answers_dict(name: str) -> dict[str, Any]:
    """The report dict of a fixture answers file."""
    return fixed(report_dict(answers_fixture(name)), [name])


def citations(n: int) -> tuple[Citation, ...]:
    """``n`` register rows behind a DBS gap."""
    return tuple(Citation(
        "adults", 12 + i, f"P-{40 + i:04d}", "dbs_issue_date", "2019-03-02", "3 years",
        f"adult P-{40 + i:04d} (row {12 + i}): DBS issued 2019-03-02 is 7.7 years before "
        "2026-11-22; the limit is 3 years") for i in range(n))


def synthetic_findings(catalog: Catalog, plan: dict[str, Status]) -> list[Any]:
    """One finding per fixture control; controls not in ``plan`` are met."""
    out = []
    for control in catalog.ordered():
        status = plan.get(control.id, Status.MET)
        cites = citations(12 if control.id == "TST-01" else 2) if status is Status.GAP else ()
        reason = {Status.GAP: f"{len(cites)} of 14 adults rows fail", Status.MET:
                  "all 14 adults rows pass", Status.NOT_APPLICABLE: "applies to official "
                  "VPC units only"}.get(status, f"register says {status.value}")
        out.append(base_finding(control, status, reason, source="register", citations=cites,
                                evidence=tuple(c.message for c in cites)))
    return out


def batch_report() -> Report:
    """A batch of four schemes covering every section, a waiver and data-quality issues."""
    catalog = fixture_catalog()
    official = {"scheme_type": "official"}
    unofficial = {"scheme_type": "unofficial"}
    riverside = synthetic_findings(catalog, {"TST-01": Status.GAP, "TST-03": Status.PARTIAL,
                                             "TST-08": Status.GAP})
    hill, expired = apply_waivers(
        synthetic_findings(catalog, {"TST-02": Status.GAP, "TST-06": Status.NOT_APPLICABLE}),
        WAIVERS + [Waiver("TST-02", "S-002", "Renewal in hand", "Supt A", "2027-03-31")],
        "S-002", AS_OF)
    unknown = synthetic_findings(catalog, {c: Status.UNVERIFIED for c in catalog.controls})
    lower = synthetic_findings(catalog, {"TST-06": Status.PARTIAL})
    schemes = [
        scheme_result("S-001", "Riverside VPC", official, riverside),
        scheme_result("S-002", "Hill Street <b>Club</b> & Friends", unofficial, hill, expired),
        scheme_result("S-003", "No Answers Yet", unofficial, unknown),
        scheme_result("s-001", "Lower-case Twin", official, lower),
    ]
    issues = [
        DataIssue("adults", 14, "dbs_issue_date", "31/02/2020", "not a date", "S-001"),
        DataIssue("schemes", 6, "age_min", "=cmd|' /C calc'!A0", "not a whole number", ""),
    ]
    return build_report("batch", catalog, schemes, AS_OF, ["register.xlsx"], issues)


def batch_dict() -> dict[str, Any]:
    """The report dict of the synthetic batch."""
    return fixed(report_dict(batch_report()), ["register.xlsx"])


@pytest.fixture(scope="module")
def reports() -> dict[str, dict[str, Any]]:
    return {"self": answers_dict("answers-self.yaml"), "spot": answers_dict("answers-spot.yaml"),
            "batch": batch_dict()}


def hostile(report: dict[str, Any]) -> dict[str, Any]:
    """A copy with hostile text appended to every free-text value."""

    def walk(node: Any, key: str = "") -> Any:
        if isinstance(node, dict):
            return {k: walk(v, k) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v, key) for v in node]
        if isinstance(node, str) and key not in LOGIC_KEYS:
            return node + HOSTILE
        return node

    return walk(copy.deepcopy(report))


def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


# --- every format has a renderer ----------------------------------------------------------


@pytest.mark.parametrize("fmt", list(Format))
def test_every_format_has_a_renderer(fmt: Format, reports: dict[str, Any]) -> None:
    for report in reports.values():
        text = renderer(fmt)(report)
        assert isinstance(text, str) and text.strip()


def test_cli_formats_are_exactly_the_format_enum() -> None:
    assert sorted(cli.FORMATS) == sorted(f.value for f in Format)


def test_every_format_has_a_per_scheme_extension() -> None:
    assert set(EXTENSIONS) == set(Format)


# --- escaping -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["self", "spot", "batch"])
def test_html_escapes_everything(kind: str, reports: dict[str, Any]) -> None:
    html = renderer(Format.HTML)(hostile(reports[kind]))
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&#34;&amp;&lt;&gt;" in html
    assert "<b>" not in html


def test_html_is_self_contained(reports: dict[str, Any]) -> None:
    for report in reports.values():
        html = renderer(Format.HTML)(report)
        assert "<link" not in html and "<script" not in html and "@import" not in html
        assert not re.search(r'\bsrc="', html), "nothing is loaded from anywhere"
        outside = re.findall(r'<(\w+)[^>]*\bhref="(?!#)([^"]*)"', html)
        assert all(tag == "a" and url.startswith(("https://", "http://"))
                   for tag, url in outside), "only links to public sources leave the page"
        assert "@media print" in html


def test_html_league_links_to_every_scheme_section(reports: dict[str, Any]) -> None:
    html = renderer(Format.HTML)(reports["batch"])
    league = html[html.index('id="league"'):html.index("</section>", html.index('id="league"'))]
    links = re.findall(r'href="#(scheme-[^"]+)"', league)
    ids = re.findall(r'<section class="scheme[^"]*" id="([^"]+)"', html)
    assert len(links) == 4 and sorted(links) == sorted(ids)
    assert len(set(ids)) == 4, "S-001 and s-001 get different anchors"
    assert html.index('id="league"') < html.index(f'id="{ids[0]}"')


def test_markdown_neutralises_markup_links_html_and_pipes(reports: dict[str, Any]) -> None:
    text = renderer(Format.MARKDOWN)(hostile(reports["batch"]))
    assert "<script>" not in text and "<b>" not in text
    assert r"\<script\>" in text
    assert "[bold red]" not in text
    for line in text.splitlines():
        if line.startswith("| ") and "](#scheme-" in line:  # league rows: 11 columns
            assert len(re.findall(r"(?<!\\)\|", line)) == 12, line


def test_md_escape() -> None:
    assert md_escape("a|b [x](y) <i> *s* `c` \\ & #1") == (
        r"a\|b \[x\](y) \<i\> \*s\* \`c\` \\ \& \#1")
    assert md_escape("not_applicable and _em_") == r"not_applicable and \_em\_"
    assert md_escape("two\nlines") == "two lines"


def test_terminal_prints_markup_and_escape_codes_as_text(reports: dict[str, Any]) -> None:
    for kind in ("self", "spot", "batch"):
        text = render_plain(hostile(reports[kind]))
        assert "[bold red]markup[/]" in text
        assert "\x1b" not in text


# --- CSV --------------------------------------------------------------------------------


def test_csv_neutralises_formula_cells(reports: dict[str, Any]) -> None:
    report = copy.deepcopy(reports["batch"])
    scheme = report["schemes"][0]
    scheme["scheme_name"] = "=1+2"
    starts = ["=HYPERLINK(\"http://x\")", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR"]
    for f, start in zip(scheme["findings"], starts, strict=False):
        f["reason"] = start
        f["evidence"] = [start, "ok"]
    text = renderer(Format.CSV)(report)
    assert text.startswith("\ufeff"), "a byte-order mark, so Excel reads UTF-8"
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert tuple(rows[0]) == COLUMNS
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    first = dict(zip(COLUMNS, rows[1], strict=True))
    assert first["scheme_name"] == "'=1+2"
    assert first["reason"] == "'=HYPERLINK(\"http://x\")"
    assert first["evidence"] == "'=HYPERLINK(\"http://x\") | ok"


def test_csv_lines_end_in_crlf(reports: dict[str, Any]) -> None:
    text = renderer(Format.CSV)(reports["self"])
    assert text.count("\r\n") == text.count("\n") == len(reports["self"]["schemes"][0]
                                                         ["findings"]) + 1


def test_csv_has_one_row_per_finding_and_no_data_quality(reports: dict[str, Any]) -> None:
    report = reports["batch"]
    text = renderer(Format.CSV)(report)
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert len(rows) == sum(len(s["findings"]) for s in report["schemes"])
    assert "31/02/2020" not in text and "calc" not in text
    unscored = [r for r in rows if r["scheme_id"] == "S-003"]
    assert unscored and all(r["score"] == "" for r in unscored)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.one_of(st.none(), st.integers(), st.floats(allow_nan=False),
                                   st.text(alphabet=st.sampled_from('a,"\r\n \t=+-@\x1bü—'),
                                           max_size=12)),
                         max_size=4), max_size=6))
def test_csv_fields_are_quoted_exactly_as_the_csv_module_quotes_them(
        rows: list[list[Any]]) -> None:
    # write_rows joins memoised fields itself: the same bytes as csv.writer on safe cells
    ours = io.StringIO()
    write_rows(ours, ["a", "b"], rows)
    theirs = io.StringIO()
    writer = csv.writer(theirs, lineterminator="\r\n")
    writer.writerows([["a", "b"], *([safe_cell(v) for v in row] for row in rows)])
    assert ours.getvalue() == "\ufeff" + theirs.getvalue()
    assert list(csv.reader(io.StringIO(ours.getvalue().removeprefix("\ufeff")))) == [
        ["a", "b"], *([safe_cell(v) for v in row] for row in rows)]


# --- JSON schema --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["self", "spot", "batch"])
def test_json_validates_against_the_shipped_schema(kind: str, reports: dict[str, Any]) -> None:
    data = json.loads(renderer(Format.JSON)(reports[kind]))
    errors = [e.message for e in validator().iter_errors(data)]
    assert not errors


def json_result(report: dict[str, Any]) -> dict[str, Any]:
    """The JSON result of a report dict, as written and read back."""
    data: dict[str, Any] = json.loads(renderer(Format.JSON)(report))
    return data


def test_schema_rejects_a_report_missing_required_fields(reports: dict[str, Any]) -> None:
    data = json_result(reports["self"])
    del data["controls"][data["schemes"][0]["findings"][0]["control_id"]]["remediation"]
    data["schemes"][0]["rating"] = "purple"
    data["schemes"][0]["findings"][1]["title"] = "a control's text belongs in controls"
    assert len(list(validator().iter_errors(data))) == 3


def test_schema_documents_every_field_the_report_emits(reports: dict[str, Any]) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    defs = schema["$defs"]

    def documented(name: str) -> set[str]:
        return set(defs[name]["properties"])

    for report in reports.values():
        data = json_result(report)
        assert set(data) <= set(schema["properties"])
        for c in data["controls"].values():
            assert set(c) <= documented("control"), set(c) - documented("control")
        for s in data["schemes"]:
            assert set(s) <= documented("scheme"), set(s) - documented("scheme")
            for f in s["findings"]:
                assert set(f) <= documented("finding"), set(f) - documented("finding")
            for d in s.get("divergences", []):
                assert set(d) <= documented("divergence")
            for a in s["actions"]:
                assert set(a) <= documented("action")
            for a in s["areas"]:
                assert set(a) <= documented("area")
        for d in data["data_quality"]:
            assert set(d) <= documented("data_issue")


@pytest.mark.parametrize("kind", ["self", "spot", "batch"])
def test_json_writes_each_controls_text_once(kind: str, reports: dict[str, Any]) -> None:
    report = reports[kind]
    data = json_result(report)
    named = [f["control_id"] for s in data["schemes"] for f in s["findings"]]
    assert list(data["controls"]) == list(dict.fromkeys(named)), "every control, in order"
    assert list(data).index("controls") < list(data).index("schemes"), "read before schemes"
    for s, written in zip(report["schemes"], data["schemes"], strict=True):
        assert written["findings"] == [without_text(f) for f in s["findings"]]
        for f in s["findings"]:  # nothing is lost: the text the other renderers show
            assert data["controls"][f["control_id"]] == {k: f[k] for k in CONTROL_FIELDS}
        for key in ("findings", "actions", "divergences"):
            for item in written.get(key, []):
                assert not set(item) & set(CONTROL_FIELDS), (key, item)
                assert item["control_id"] in data["controls"]


@pytest.mark.parametrize("kind", ["self", "spot", "batch"])
def test_compact_report_dict_is_the_json_result(kind: str) -> None:
    """What score and report write (report_dict(..., compact=True), built without the
    text) is what the JSON renderer makes of the dict the other renderers read."""
    report = batch_report() if kind == "batch" else answers_fixture(f"answers-{kind}.yaml")
    full = renderer(Format.JSON)(fixed(report_dict(report), []))
    compact = fixed(report_dict(report, compact=True), [])
    assert renderer(Format.JSON)(compact) == full
    lazy = fixed(report_dict(report, lazy=True, compact=True), [])
    assert renderer(Format.JSON)(lazy) == full


def test_schema_ships_inside_the_package() -> None:
    from importlib import resources

    packaged = resources.files("youthscheme_audit") / "schema" / "report.schema.json"
    assert json.loads(packaged.read_text(encoding="utf-8"))["title"]


# --- terminal -------------------------------------------------------------------------------


def colour_console(width: int = 120) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, force_terminal=True, color_system="standard", width=width), buffer


@pytest.mark.parametrize("kind", ["self", "spot", "batch"])
def test_print_report_runs_in_colour(kind: str, reports: dict[str, Any]) -> None:
    console, buffer = colour_console()
    print_report(reports[kind], console)
    out = buffer.getvalue()
    assert "\x1b[" in out
    assert reports[kind]["schemes"][0]["scheme_name"] in out
    assert "Do" in out and "Source" in out


def test_spot_report_reads_summary_then_plan_then_divergences(reports: dict[str, Any]) -> None:
    text = render_plain(reports["spot"])
    assert (text.index("Rating") < text.index("Audited     6 of 6 controls audited")
            < text.index("Action plan (3)") < text.index("Divergences (4)")
            < text.index("How the score is worked out") < text.index("Run details"))
    assert "75.0 AMBER as self-assessed; 42.9 RED as audited" in text
    assert "overclaimed" in text
    assert "TST-02" not in text[text.index("Divergences"):text.index("Waived gaps")], (
        "a waived gap the scheme admitted is no divergence")
    html = renderer(Format.HTML)(reports["spot"])
    assert (html.index("Why this rating") < html.index("Action plan") < html.index("Divergences")
            < html.index("How the score is worked out") < html.index("Run details"))
    assert '<tr class="overclaimed">' in html and 'class="kind-overclaimed"' in html
    md = renderer(Format.MARKDOWN)(reports["spot"])
    assert md.index("### Summary") < md.index("### Action plan") < md.index("### Divergences")
    assert "**OVERCLAIMED**" in md


def test_plain_report_has_the_sections_a_lead_needs(reports: dict[str, Any]) -> None:
    text = render_plain(reports["self"])
    for expected in ("OFFICIAL-SENSITIVE", "Rating", "Score", "91.3   (75.0 without waivers)",
                     "Coverage", "Do first", "Score by area", "Action plan (3)",
                     "owner: PCSO B", "Waived gaps (1)", "Supt J. Doe", "2027-01-31",
                     "Expired waivers (1)", "Unverified, not in the action plan (1)",
                     "Met (1)", "evidence: DBS log 2026", "Not applicable (2)",
                     "How the score is worked out", "weights met 20, partial 2, gap 1",
                     "Formula", "Sources (", "Run details", "checklists: fixture_people"):
        assert expected in text, expected
    order = ["Rating", "Do first", "Action plan", "Waived gaps", "Met (1)",
             "How the score is worked out", "Sources (", "Run details"]
    assert [text.index(o) for o in order] == sorted(text.index(o) for o in order)
    assert text.splitlines()[0] == text.splitlines()[-1] == "OFFICIAL-SENSITIVE"
    assert max(len(line) for line in text.splitlines()) <= 100


def test_evidence_label_shows_the_reference_and_the_note_has_its_own(
        reports: dict[str, Any]) -> None:
    report = copy.deepcopy(reports["self"])
    gap = next(f for f in report["schemes"][0]["findings"] if f["control_id"] == "TST-04")
    gap["evidence"] = [gap["note"], "signed-forms folder, empty"]
    text = render_plain(report)
    assert "Note      new helper has not signed yet" in text
    assert "Evidence  signed-forms folder, empty" in text
    assert "Evidence  new helper" not in text
    html = renderer(Format.HTML)(report)
    assert "<dt>Note</dt><dd>new helper has not signed yet</dd>" in html
    assert "<dt>Evidence</dt><dd>signed-forms folder, empty</dd>" in html
    md = renderer(Format.MARKDOWN)(report)
    assert "- Note: new helper has not signed yet" in md
    assert "- Evidence: signed-forms folder, empty" in md


def test_plain_report_lists_the_first_rows_and_counts_the_rest(
        reports: dict[str, Any]) -> None:
    text = render_plain(reports["batch"])
    assert "adult P-0049 (row 21)" in text and "adult P-0050" not in text
    assert "... and 2 more rows" in text
    assert "—" in text  # the unscored scheme


def test_league_on_a_terminal_is_a_rich_table(reports: dict[str, Any]) -> None:
    console, buffer = colour_console()
    print_league(reports["batch"], console)
    out = buffer.getvalue()
    assert "\x1b[" in out and "Riverside VPC" in out
    assert "1 data-quality issue" not in out and "2 data-quality issues" in out
    assert "--format csv" in out


def test_league_on_an_80_column_terminal_keeps_ids_types_and_ratings_whole(
        reports: dict[str, Any]) -> None:
    # the rich table once gave the name 5 characters and split "S-003" as "S-00" / "3"
    buffer = io.StringIO()
    print_league(reports["batch"], Console(file=buffer, force_terminal=True, color_system=None,
                                           width=80))
    out = buffer.getvalue()
    rows = [line.split() for line in out.splitlines() if line[:3].strip().isdigit()]
    assert len(rows) == len(reports["batch"]["schemes"])
    for cells, scheme in zip(rows, worst_first(reports["batch"]), strict=True):
        assert cells[1] == scheme["scheme_id"]
        assert scheme["scheme_type"] in cells and scheme["rating"] in cells
    assert max(map(len, out.splitlines())) <= 80
    assert "Riverside VPC" in out  # a short name is not folded either


def test_league_off_a_terminal_is_plain_text_worst_first(reports: dict[str, Any]) -> None:
    buffer = io.StringIO()
    print_league(reports["batch"], Console(file=buffer, width=80))
    lines = buffer.getvalue().splitlines()
    assert "\x1b" not in buffer.getvalue()
    ranked = [line.split()[1] for line in lines[4:8]]  # after the marking and the header
    assert ranked == ["S-001", "S-003", "s-001", "S-002"]  # red, amber (no score), green 93.8, 100
    quality = lines.index(next(line for line in lines if line.startswith("2 data-quality")))
    assert lines[quality + 1].startswith("  adults dbs_issue_date: not a date (1: row 14 S-001")
    assert lines[-2].startswith("Use --format csv, json or html")
    assert lines[-1] == lines[0] == reports["batch"].get("marking", "")


def test_huge_league_is_plain_even_on_a_terminal(reports: dict[str, Any]) -> None:
    base = reports["batch"]
    schemes = [{**s, "scheme_id": f"{s['scheme_id']}-{n}"}
               for n in range(LEAGUE_RICH_MAX // 4 + 1) for s in base["schemes"]]
    console, buffer = colour_console()
    print_league({**base, "schemes": schemes}, console)
    assert "\x1b[" not in buffer.getvalue()
    lines = buffer.getvalue().splitlines()
    ranked = [line for line in lines if re.match(r"\s*\d+  +[Ss]-", line)]  # per scheme
    assert len(ranked) == len(schemes) and lines[1].startswith("League table")


# --- per-scheme files -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(Format))
def test_write_per_scheme(fmt: Format, tmp_path: Path, reports: dict[str, Any]) -> None:
    out = tmp_path / "reports" / "nested"
    index = write_per_scheme(reports["batch"], out, fmt.value)
    files = sorted(p.name for p in out.iterdir())
    ext = EXTENSIONS[fmt]
    assert index.name == {"html": "index.html", "json": "index.json",
                          "csv": "index.csv"}.get(fmt.value, "index.md")
    assert sorted(files) == sorted(["S-001" + ext, "S-002" + ext, "S-003" + ext,
                                    "s-001-2" + ext, index.name])
    text = index.read_text(encoding="utf-8")
    order = [text.index(name) for name in ("S-001" + ext, "S-003" + ext, "s-001-2" + ext,
                                           "S-002" + ext)]
    assert order == sorted(order), "worst first"
    assert not [p for p in out.iterdir() if p.name.startswith(".")], "no temporary files left"


def test_per_scheme_json_reports_hold_one_scheme_and_its_issues(
        tmp_path: Path, reports: dict[str, Any]) -> None:
    write_per_scheme(reports["batch"], tmp_path, "json")
    one = json.loads((tmp_path / "S-001.json").read_text(encoding="utf-8"))
    assert [s["scheme_id"] for s in one["schemes"]] == ["S-001"]
    assert [d["value"] for d in one["data_quality"]] == ["31/02/2020"]
    assert one["summary"] == {"schemes": 1, "red": 1, "amber": 0, "green": 0,
                              "data_quality_issues": 1}
    assert not list(validator().iter_errors(one))
    index = json.loads((tmp_path / "index.json").read_text(encoding="utf-8"))
    assert [r["file"] for r in index["schemes"]][0] == "S-001.json"
    assert [d["value"] for d in index["data_quality"]] == ["=cmd|' /C calc'!A0"]


def test_per_scheme_csv_index_is_a_spreadsheet_of_the_schemes(
        tmp_path: Path, reports: dict[str, Any]) -> None:
    write_per_scheme(reports["batch"], tmp_path, "csv")
    text = (tmp_path / "index.csv").read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [r["scheme_id"] for r in rows] == ["S-001", "S-003", "s-001", "S-002"]
    assert rows[0]["file"] == "S-001.csv" and rows[0]["rating"] == "red"
    assert rows[3]["scheme_name"] == "Hill Street <b>Club</b> & Friends"
    assert (tmp_path / "S-001.csv").read_text(encoding="utf-8").startswith("\ufeff")


def test_per_scheme_names_are_safe_and_stay_in_the_directory(
        tmp_path: Path, reports: dict[str, Any]) -> None:
    report = copy.deepcopy(reports["batch"])
    for scheme, sid in zip(report["schemes"], ["../../evil", "CON", "index", "a/b\\c"],
                           strict=True):
        scheme["scheme_id"] = sid
    out = tmp_path / "out"
    write_per_scheme(report, out, "html")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert sorted(p.name for p in out.iterdir()) == [
        "a_b_c.html", "evil.html", "index.html", "scheme_CON.html", "scheme_index.html"]


def test_safe_name() -> None:
    taken: set[str] = set()
    assert safe_name("S-014", taken) == "S-014"
    assert safe_name("s-014", taken) == "s-014-2"
    assert safe_name("...", taken) == "scheme"
    assert safe_name("nul", taken) == "scheme_nul"
    assert safe_name("Ünïcode name!", taken) == "n_code_name"


# --- templates ------------------------------------------------------------------------------


def test_templates_are_found() -> None:
    assert (templates_dir() / "report.html.j2").is_file()
    assert (templates_dir() / "report.md.j2").is_file()


def test_templates_are_strict(reports: dict[str, Any]) -> None:
    broken = copy.deepcopy(reports["self"])
    gap = next(f for f in broken["schemes"][0]["findings"] if f["status"] == "gap")
    del gap["reason"]  # the templates read it
    for fmt in (Format.HTML, Format.MARKDOWN):
        with pytest.raises(jinja2.UndefinedError):
            renderer(fmt)(broken)


def test_unscored_scheme_shows_a_dash_everywhere(reports: dict[str, Any]) -> None:
    one = {**reports["batch"], "schemes": [reports["batch"]["schemes"][2]]}
    assert "<strong>—</strong>" in renderer(Format.HTML)(one)
    assert "Score: **—**" in renderer(Format.MARKDOWN)(one)
    assert "Score     —" in render_plain(one)


# --- golden files ----------------------------------------------------------------------------

GOLDEN_FORMATS = {"txt": Format.TERMINAL, "md": Format.MARKDOWN, "html": Format.HTML,
                  "json": Format.JSON, "csv": Format.CSV}


def check_golden(name: str, text: str, regen: bool) -> None:
    path = GOLDEN / name
    if regen:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        return
    assert path.is_file(), f"{path} missing: run pytest with --regen-golden"
    expected = path.read_text(encoding="utf-8")
    # line endings are tested on their own; git may normalise them in a checkout
    assert text.replace("\r\n", "\n") == expected.replace("\r\n", "\n"), (
        f"{name} differs from the golden file: review the change, then --regen-golden")


@pytest.mark.parametrize("ext", list(GOLDEN_FORMATS))
@pytest.mark.parametrize("kind", ["self", "spot", "batch"])
def test_golden(kind: str, ext: str, reports: dict[str, Any], regen_golden: bool) -> None:
    text = renderer(GOLDEN_FORMATS[ext])(reports[kind])
    check_golden(f"{kind}.{ext}", text, regen_golden)


def test_golden_league(reports: dict[str, Any], regen_golden: bool) -> None:
    buffer = io.StringIO()
    print_league(reports["batch"], Console(file=buffer, width=100))
    check_golden("batch-league.txt", buffer.getvalue(), regen_golden)


@pytest.mark.parametrize("kept", [None, 3])
def test_a_folder_of_html_reports_is_each_scheme_rendered_alone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kept: int | None) -> None:
    # a register's schemes share finding dicts, and `score -o DIR/` makes each fragment
    # they share once (templating.shared): every file must still be its scheme's report
    # rendered alone, with a waiver making one scheme's findings its own, and when the
    # memo keeps only a few fragments and starts over again and again
    from cli_support import run

    from youthscheme_audit.pipeline import score_register
    from youthscheme_audit.render import templating
    from youthscheme_audit.render.html import render
    from youthscheme_audit.render.per_scheme import issues_by_scheme, single_report
    from youthscheme_audit.waivers import load_waivers

    if kept is not None:
        monkeypatch.setattr(templating, "FRAGMENTS_KEPT", kept)
    register = Path(__file__).resolve().parent.parent / "examples" / "register.xlsx"
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers:\n  - control_id: VET-03\n    scheme_id: S-001\n"
                       "    justification: Renewal applied for.\n    approved_by: Supt A\n"
                       "    expires: 2026-12-31\n")
    code, _, err = run("score", str(register), "--as-of", AS_OF.isoformat(), "--waivers",
                       str(waivers), "--format", "html", "-o", f"{tmp_path / 'out'}/")
    assert code == 0, err
    catalog = load_catalog()[0]
    result = score_register(catalog, [register], as_of=AS_OF,
                            waivers=load_waivers(waivers, catalog))
    data = report_dict(result)
    seen: dict[int, int] = {}
    for scheme in data["schemes"]:
        for f in scheme["findings"]:
            seen[id(f)] = seen.get(id(f), 0) + 1
    assert max(seen.values()) > 1, "the schemes share findings, so fragments are shared"
    assert any(f["citations"] for s in data["schemes"] for f in s["findings"])
    assert any(f["status"] == "waived" for f in scheme_of(data, "S-001")["findings"])
    issues = issues_by_scheme(data)

    def read(text: str) -> list[str]:  # the two runs differ only in when they ran
        return [line for line in text.splitlines() if "Generated" not in line]

    for scheme in data["schemes"]:
        alone = render(single_report(data, scheme, issues.get(scheme["scheme_id"], [])))
        written = tmp_path / "out" / f"{safe_name(scheme['scheme_id'], set())}.html"
        assert read(written.read_text(encoding="utf-8")) == read(alone), scheme["scheme_id"]


def scheme_of(data: dict[str, Any], scheme_id: str) -> dict[str, Any]:
    return next(s for s in data["schemes"] if s["scheme_id"] == scheme_id)
