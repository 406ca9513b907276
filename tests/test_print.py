"""The HTML report printed on A4 by headless Chromium (slow: run with ``pytest --slow``).

Needs ``chromium`` and ``pdftotext`` (Debian: ``apt-get install chromium poppler-utils``);
skipped when they are missing.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from youthscheme_audit.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED_LIKE = ROOT / "examples" / "unofficial-school-scheme.yaml"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None or shutil.which("pdftotext") is None,
                       reason="needs chromium and pdftotext"),
]


def print_pdf(page: Path, pdf: Path, profile: Path) -> None:
    """Print ``page`` to ``pdf`` as a person would from Chromium, with no browser header."""
    assert CHROMIUM is not None
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update",
                    "--no-first-run", "--disable-sync", f"--user-data-dir={profile}",
                    f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri()],
                   check=True, capture_output=True, timeout=120)


def pages_of(pdf: Path) -> list[str]:
    """The text of each page."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return text.split("\f")[:-1]


def test_the_seed_like_scheme_prints_summary_and_plan_first(tmp_path: Path) -> None:
    page = tmp_path / "school.html"
    run = CliRunner().invoke(main, ["report", str(SEED_LIKE), "--format", "html", "-o",
                                    str(page)])
    assert run.exit_code == 0, run.stderr
    print_pdf(page, tmp_path / "school.pdf", tmp_path / "profile")
    pages = pages_of(tmp_path / "school.pdf")
    info = subprocess.run(["pdfinfo", str(tmp_path / "school.pdf")], capture_output=True,
                          text=True).stdout
    assert re.search(r"Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)", info), info
    for n, text in enumerate(pages, 1):
        assert text.count("OFFICIAL-SENSITIVE") >= 2, f"page {n}: marking top and bottom"
        assert f"{n} of {len(pages)}" in text, f"page {n}: page number"
        assert "Oakfield Primary Police Cadets · as of 2026-11-22" in text, f"page {n}"
    first_two = pages[0] + pages[1]
    assert "RED" in pages[0] and "Why this rating" in pages[0]
    data = json.loads(CliRunner().invoke(main, ["report", str(SEED_LIKE), "--format",
                                                "json"]).stdout)
    actions = data["schemes"][0]["actions"]
    plan = first_two[first_two.index("Action plan"):]
    assert all(a["control_id"] in plan for a in actions), "the whole plan on pages 1 and 2"
    # no word broken: every word printed is a word of the page (capitals: CSS uppercase)
    source = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", "",
                                                          page.read_text(), flags=re.S)))
    words = set(re.findall(r"[A-Za-z]+", source))
    printed = set(re.findall(r"[A-Za-z]+", "".join(pages)))
    broken = {w for w in printed - words if not w.isupper()}
    assert not broken, sorted(broken)
