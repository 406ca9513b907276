"""Benchmark: `score` against merely reading the same files, and the XLSX reader.

    python benchmarks/run.py [--dir DIR] [--schemes 20000] [--adults 1000000]
                             [--activities 200000] [--xlsx-rows 100000]

Generates the synthetic register if DIR has none, then prints, each measured in a
fresh process:

* csv.DictReader reading every CSV file (the baseline);
* `youthscheme-audit score DIR/*.csv` (the default league table, to /dev/null);
  the ratio of the two (target <= 2.5) and score's peak memory (target < 1.5 GB);
* the same score writing the full JSON result (every finding and cited row);
* reading a 100,000-row XLSX with python-calamine through our reader, against
  openpyxl's read-only mode (target >= 5 x faster).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

AS_OF = "2026-11-22"
DICTREADER = """
import csv, sys
for name in sys.argv[1:]:
    with open(name, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            pass
"""
OPENPYXL = """
import sys
from openpyxl import load_workbook
book = load_workbook(sys.argv[1], read_only=True, data_only=True)
for sheet in book.worksheets:
    for row in sheet.iter_rows(values_only=True):
        pass
"""
CALAMINE = """
import sys
from pathlib import Path
from youthscheme_audit.registers import read_register
read_register([Path(sys.argv[1])])
"""


def timed(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"failed: {' '.join(args)}")
    return elapsed, usage.ru_maxrss / 1024


def best(args: list[str], runs: int) -> tuple[float, float]:
    """The fastest of ``runs`` runs (less noise from the rest of the machine)."""
    results = [timed(args) for _ in range(runs)]
    return min(r[0] for r in results), max(r[1] for r in results)


def paired(baseline: list[str], measured: list[str], runs: int) -> list[tuple[float, ...]]:
    """Baseline and measured run back to back ``runs`` times: (base s, s, MB) each.

    This machine's speed drifts by tens of per cent from minute to minute, so each
    ratio compares two runs made moments apart.
    """
    out = []
    for _ in range(runs):
        base, _ = timed(baseline)
        seconds, mb = timed(measured)
        out.append((base, seconds, mb))
    return out


def make_xlsx(path: Path, rows: int) -> None:
    """A register workbook whose adults sheet has ``rows`` rows (written with openpyxl)."""
    import random

    from generate import adults
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    schemes = book.create_sheet("schemes")
    schemes.append(["scheme_id", "scheme_name", "scheme_type"])
    for i in range(1000):
        schemes.append([f"S{i:05d}", f"Scheme {i}", "official"])
    sheet = book.create_sheet("adults")
    sheet.append(["scheme_id", "person_id", "name", "role", "date_of_birth", "start_date",
                  "dbs_level", "dbs_barred_list", "dbs_issue_date", "dbs_update_service",
                  "dbs_status_check_date", "vetting_level", "vetting_expiry",
                  "safeguarding_training_date", "social_media_briefing_date",
                  "code_of_conduct_signed"])
    for row in adults(random.Random(2), rows, 1000):
        sheet.append(row)
    book.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", type=Path, default=Path("benchmark-data"))
    parser.add_argument("--schemes", type=int, default=20_000)
    parser.add_argument("--adults", type=int, default=1_000_000)
    parser.add_argument("--activities", type=int, default=200_000)
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    files = [args.dir / f"{t}.csv" for t in ("schemes", "adults", "activities")]
    if not all(f.exists() for f in files):
        print(f"generating {args.schemes:,} schemes, {args.adults:,} adults, "
              f"{args.activities:,} activities in {args.dir} ...", flush=True)
        generate(args.dir, args.schemes, args.adults, args.activities, seed=1)
    py = sys.executable
    reader = [py, "-c", DICTREADER, *map(str, files)]
    score = [py, "-m", "youthscheme_audit", "score", *map(str, files), "--as-of", AS_OF]
    pairs = paired(reader, score, args.runs)
    ratios = sorted(s / b for b, s, _ in pairs)
    for base, seconds, mb in pairs:
        print(f"csv.DictReader {base:6.2f} s | score (league table) {seconds:6.2f} s "
              f"{mb:6.0f} MB | ratio {seconds / base:4.2f}")
    print(f"score / DictReader: median ratio {ratios[len(ratios) // 2]:.2f}, best "
          f"{ratios[0]:.2f} (target <= 2.5); peak memory {max(p[2] for p in pairs):.0f} MB "
          "(target < 1536 MB)")
    out = args.dir / "result.json"
    full_s, full_mb = timed(score + ["--format", "json", "-o", str(out)])
    print(f"score --format json -o FILE (every finding and cited row): {full_s:.2f} s, "
          f"{full_mb:.0f} MB, {out.stat().st_size / 1e6:.0f} MB written")
    workbook = args.dir / f"adults-{args.xlsx_rows}.xlsx"
    if not workbook.exists():
        print(f"writing a {args.xlsx_rows:,}-row workbook ...", flush=True)
        make_xlsx(workbook, args.xlsx_rows)
    cal_s, _ = best([py, "-c", CALAMINE, str(workbook)], args.runs)
    opx_s, _ = best([py, "-c", OPENPYXL, str(workbook)], 1)
    print(f"XLSX {args.xlsx_rows:,} rows: our reader (calamine) {cal_s:.2f} s, "
          f"openpyxl read-only {opx_s:.2f} s: {opx_s / cal_s:.1f} x faster (target >= 5)")


if __name__ == "__main__":
    main()
