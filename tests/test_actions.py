"""The action plan, --marking and the small options, through the real command line."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from youthscheme_audit.cli import main
from youthscheme_audit.render.csv_out import ACTION_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
SEED_LIKE = ROOT / "examples" / "unofficial-school-scheme.yaml"
AS_OF = "2026-11-22"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def csv_rows(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff"), "a byte-order mark, so Excel reads UTF-8"
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def with_owners(tmp_path: Path) -> Path:
    """The seed-like scheme with an owner on two answers, one of them hostile."""
    text = SEED_LIKE.read_text(encoding="utf-8")
    text = text.replace(
        "    note: The class teacher usually leaves after registration and comes back at the end.",
        "    note: The class teacher usually leaves after registration and comes back at the end."
        "\n    owner: Head teacher, Mrs Ahmed")
    text = text.replace("  GOV-05: no", "  GOV-05:\n    answer: no\n    owner: '=HYPERLINK(\"x\")'")
    path = tmp_path / "oak.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_actions_csv_is_the_plan_one_row_per_action(tmp_path: Path) -> None:
    answers = with_owners(tmp_path)
    out = tmp_path / "actions.csv"
    result = run("report", str(answers), "--format", "csv", "--actions", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    rows = csv_rows(out.read_text(encoding="utf-8"))
    assert tuple(rows[0]) == ACTION_COLUMNS
    data = json.loads(run("report", str(answers), "--format", "json").stdout)
    scheme = data["schemes"][0]
    assert [r["control_id"] for r in rows] == [a["control_id"] for a in scheme["actions"]]
    statuses = {f["control_id"]: f for f in scheme["findings"]}
    for r in rows:
        f = statuses[r["control_id"]]
        assert r["severity"] == data["controls"][r["control_id"]]["severity"]
        assert f["status"] in ("gap", "partial") or (
            r["severity"] == "critical" and (f["claimed"] or f["status"] == "unverified"))
    every = {f["control_id"] for f in scheme["findings"] if f["status"] in ("gap", "partial")}
    assert every <= {r["control_id"] for r in rows}, "every gap and partly met control"
    by_id = {r["control_id"]: r for r in rows}
    assert by_id["SUP-04"]["owner"] == "Head teacher, Mrs Ahmed"
    assert by_id["GOV-05"]["owner"] == "'=HYPERLINK(\"x\")", "no formula runs in Excel"
    assert by_id["GOV-02"]["owner"] == "", "blank to fill in"
    # due dates from the as-of date by severity: critical 7, high 30, medium 90, low 180
    as_of = dt.date.fromisoformat(AS_OF)
    for r in rows:
        days = {"critical": 7, "high": 30, "medium": 90, "low": 180}[r["severity"]]
        assert r["due_date"] == (as_of + dt.timedelta(days=days)).isoformat()
    # claimed critical controls ask for the evidence first
    assert by_id["VET-01"]["status"] == "claimed"
    assert by_id["VET-01"]["action"].startswith("Provide the evidence: ")
    assert by_id["VET-01"]["evidence_needed"]
    # worst first
    ranks = [("critical", "high", "medium", "low").index(r["severity"]) for r in rows]
    assert ranks == sorted(ranks)


def test_actions_need_csv() -> None:
    result = run("report", str(SEED_LIKE), "--actions")
    assert result.exit_code == 2 and "--format csv" in result.stderr


def test_owner_shows_in_every_report_format(tmp_path: Path) -> None:
    answers = with_owners(tmp_path)
    for fmt in ("terminal", "markdown", "html"):
        out = run("report", str(answers), "--format", fmt).stdout
        assert "Head teacher, Mrs Ahmed" in out, fmt


def test_a_force_changes_a_due_date_with_its_parameters(tmp_path: Path) -> None:
    force = tmp_path / "force"
    force.mkdir()
    (force / "parameters.yaml").write_text(
        "parameters:\n  action_due_days:\n    value: {critical: 3}\n")
    result = run("--checklists", str(force), "report", str(SEED_LIKE), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["action_due_days"] == {"critical": 3, "high": 30, "medium": 90, "low": 180}
    dues = {data["controls"][a["control_id"]]["severity"]: a["due"]
            for a in data["schemes"][0]["actions"]}
    assert dues["critical"] == "2026-11-25" and dues["high"] == "2026-12-22"


@pytest.mark.parametrize("value, expected", [
    ("{critical: soon}", "'critical' must be a whole number of 0 or more"),
    ("{urgent: 3}", "'urgent' is not one of critical, high, medium, low"),
    ("7", "'value' must map critical, high, medium, low to values"),
])
def test_a_bad_due_days_override_is_refused_with_its_line(tmp_path: Path, value: str,
                                                          expected: str) -> None:
    force = tmp_path / "force"
    force.mkdir()
    (force / "parameters.yaml").write_text(
        f"parameters:\n  action_due_days:\n    value: {value}\n")
    result = run("--checklists", str(force), "report", str(SEED_LIKE))
    assert result.exit_code == 2
    assert "parameters.yaml:3: action_due_days: " + expected in result.stderr
    lint = run("lint", str(force))
    assert lint.exit_code == 1 and expected in lint.stdout


def test_marking_on_every_format(tmp_path: Path) -> None:
    default = run("report", str(SEED_LIKE), "--format", "markdown").stdout
    assert default.startswith("**OFFICIAL-SENSITIVE**") and default.rstrip().endswith(
        "**OFFICIAL-SENSITIVE**")
    text = run("report", str(SEED_LIKE), "--marking", "OFFICIAL").stdout.splitlines()
    assert text[0] == text[-1] == "OFFICIAL"
    html = run("report", str(SEED_LIKE), "--format", "html", "--marking",
               'SECRET "x" </style>').stdout
    assert html.count('<div class="marking"') == 2
    assert "@top-right { content: \"SECRET \\22 x\\22  \\3c \\2f style\\3e \"" in html
    assert '@bottom-right { content: counter(page) " of " counter(pages)' in html
    assert "size: A4" in html
    data = json.loads(run("report", str(SEED_LIKE), "--format", "json").stdout)
    assert data["marking"] == "OFFICIAL-SENSITIVE"


def test_html_never_breaks_a_word_and_draws_the_areas() -> None:
    html = run("report", str(SEED_LIKE), "--format", "html").stdout
    assert "overflow-wrap: anywhere" not in html and "word-break: break-all" not in html
    assert "hyphens: manual; overflow-wrap: normal; word-break: normal" in html
    chart = html[html.index('<svg class="chart"'):html.index("</svg>")]
    assert chart.count("<rect") == 2 * 9, "a track and a bar for each of the nine areas"
    data = json.loads(run("report", str(SEED_LIKE), "--format", "json").stdout)
    first = data["schemes"][0]["areas"][0]  # the chart labels each bar with the report's numbers
    assert f"{first['title']}: score {first['score']:.1f}, {first['rating']}" in chart
    head = html[:html.index('id="' + "scheme-")]
    assert "Generated" not in head and "How the score" not in head, "run details come last"
    assert html.index("Why this rating") < html.index("Action plan") < html.index(
        "How the score is worked out") < html.index("Run details")


@pytest.mark.parametrize("given", ["22/11/2026", "2026-11-22"])
def test_as_of_takes_iso_and_uk_dates(given: str) -> None:
    result = run("report", str(SEED_LIKE), "--format", "json", "--as-of", given)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["as_of"] == "2026-11-22"


def test_a_date_that_is_not_one_is_refused() -> None:
    result = run("report", str(SEED_LIKE), "--as-of", "31/02/2026")
    assert result.exit_code == 2
    assert "'31/02/2026' is not a date: give YYYY-MM-DD" in result.stderr


def test_help_shows_plain_date_and_folder_words() -> None:
    report = run("report", "--help").stdout
    assert "--as-of YYYY-MM-DD" in report and "%Y" not in report
    assert "--marking TEXT" in report and "OFFICIAL-SENSITIVE" in report
    score = " ".join(run("score", "--help").stdout.split())
    assert "-o, --output FILE|DIR/" in score and "one report per scheme" in score
    assert "--marking" in run("walk", "--help").stdout


def test_score_csv_to_a_folder_writes_a_csv_index_shadow_schemes_first(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    result = run("score", str(ROOT / "examples" / "register.xlsx"), "--as-of", AS_OF,
                 "--format", "csv", "-o", f"{out}/")
    assert result.exit_code == 0, result.stderr
    rows = csv_rows((out / "index.csv").read_text(encoding="utf-8"))
    assert rows[0]["scheme_id"] == "S-009" and rows[0]["rating"] == "unlisted"
    assert "adults row 16 P-901" in rows[0]["scheme_name"]
    assert [r["rank"] for r in rows[1:]] == [str(n) for n in range(1, len(rows))]
    for r in rows[1:]:
        assert (out / r["file"]).read_text(encoding="utf-8").startswith("\ufeff")
