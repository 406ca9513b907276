"""Benchmark: `score` against csv.DictReader merely reading the same files, pair by pair.

    .venv/bin/python benchmarks/run.py [--dir DIR] [--only PART,...] [--runs 3]
        [--schemes 20000] [--adults 1000000] [--activities 200000]
        [--scale 100000,300000,1000000] [--xlsx-rows 100000] [--help-runs 5]

Run it from the repository with the project installed (``pip install -e '.[test]'``:
openpyxl is a test extra). The full size takes about half an hour on a 2-core machine;
develop with e.g. ``--schemes 2000 --adults 100000 --activities 20000 --scale
10000,30000,100000 --xlsx-rows 10000 --runs 1`` (about a minute). The synthetic
register (benchmarks/generate.py, seed 1) is generated into DIR (default
benchmark-data/) unless this generator already made it there at these sizes
(DIR/register.txt says so). Every command runs in a fresh process. The parts
(``--only table,json`` runs just those):

* table, json, csv, html: ``--runs`` pairs of csv.DictReader reading every CSV file and,
  moments later, ``youthscheme-audit score DIR/*.csv --as-of 2026-11-22`` with that
  output: the league table to /dev/null, ``--format json -o FILE``, ``--format csv -o
  FILE``, ``--format html -o DIR/`` (a report per scheme and the force picture). This
  machine's speed drifts from minute to minute, so each ratio compares two runs made
  back to back. Prints each pair's seconds, ratio and score's peak memory (ru_maxrss of
  the child), then the median ratio and the peak against their targets. What -o writes
  goes into DIR and is removed after each run.
* scaling: the league table at each ``--scale`` number of adults, schemes and activities
  in proportion, each size generated in its own folder DIR/scale-N (the full size is
  DIR itself, and reuses the table pairs when those ran): the median ratio per size.
* xlsx: a workbook whose adults sheet has ``--xlsx-rows`` rows (written once into DIR),
  read by openpyxl's read-only mode and by our reader (python-calamine), in pairs: the
  median speed-up.
* help: ``youthscheme-audit --help``, the median of ``--help-runs`` runs.

At the end a summary block has one line per target: part, what was measured, the
measured median, the target, and "met" or "NOT met".
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import ADULT_HEADER, adults, generate  # noqa: E402

AS_OF = "2026-11-22"
TABLES = ("schemes", "adults", "activities")
PARTS = ("table", "json", "csv", "html", "scaling", "xlsx", "help")
MEMORY_MB = 1024  # every score run stays under 1 GB
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


@dataclass(frozen=True)
class Output:
    """One way of running score: its extra arguments and the ratio it may take."""

    label: str
    args: tuple[str, ...]  # '{out}' stands for the path written in the data dir
    written: str  # the file or folder (a name ending in /) written, '' for none
    target: float


OUTPUTS = {
    "table": Output("score (league table to /dev/null)", (), "", 1.0),
    "json": Output("score --format json -o FILE", ("--format", "json", "-o", "{out}"),
                   "result.json", 2.0),
    "csv": Output("score --format csv -o FILE", ("--format", "csv", "-o", "{out}"),
                  "result.csv", 2.0),
    "html": Output("score --format html -o DIR/", ("--format", "html", "-o", "{out}"),
                   "html/", 6.0),
}


@dataclass(frozen=True)
class Verdict:
    """One line of the summary."""

    part: str
    what: str
    measured: str
    target: str
    met: bool


def timed(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of one child process.

    Its messages ("wrote ...") are kept out of the way, and shown only if it fails.
    """
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        # no --fail-on is given, so 1 is not "gaps found": an uncaught error exits 1 too
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            sys.stderr.write(err.read().decode(errors="replace"))
            raise SystemExit(f"failed: {' '.join(args)[:300]}")
    return elapsed, usage.ru_maxrss / 1024


def remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def paired(baseline: list[str], measured: list[str], runs: int,
           after: Callable[[], None] = lambda: None) -> list[tuple[float, float, float]]:
    """``runs`` times: baseline then measured, back to back: (base s, measured s, MB)."""
    out = []
    for _ in range(runs):
        base, _ = timed(baseline)
        seconds, mb = timed(measured)
        after()
        out.append((base, seconds, mb))
    return out


def register_files(folder: Path, schemes: int, adults_n: int, activities: int) -> list[str]:
    """The register's CSV files in ``folder``, generated first unless the files there were
    made at these sizes by this very generator (``register.txt`` records which)."""
    files = [folder / f"{t}.csv" for t in TABLES]
    made = folder / "register.txt"
    generator = hashlib.sha256((HERE / "generate.py").read_bytes()).hexdigest()[:12]
    wanted = f"{schemes} schemes, {adults_n} adults, {activities} activities, seed 1, " \
             f"generate.py {generator}\n"
    if not (made.exists() and made.read_text() == wanted and all(f.exists() for f in files)):
        print(f"generating {schemes:,} schemes, {adults_n:,} adults, {activities:,} "
              f"activities in {folder} ...", flush=True)
        generate(folder, schemes, adults_n, activities, seed=1)
        made.write_text(wanted)
    return [str(f) for f in files]


def score_command(files: list[str]) -> list[str]:
    return [sys.executable, "-m", "youthscheme_audit", "score", *files, "--as-of", AS_OF]


def reader_command(files: list[str]) -> list[str]:
    return [sys.executable, "-c", DICTREADER, *files]


def median_ratio(pairs: list[tuple[float, float, float]]) -> float:
    return statistics.median(s / b for b, s, _ in pairs)


def measure_output(part: str, files: list[str], data: Path, runs: int) -> tuple[
        list[tuple[float, float, float]], list[Verdict]]:
    """Pairs of (DictReader, score with this output); the ratio and memory verdicts."""
    output = OUTPUTS[part]
    written = data / output.written if output.written else None
    out = f"{data}/{output.written}"  # kept as a string: a trailing / asks for a folder
    args = [a.replace("{out}", out) for a in output.args]
    print(f"\n{part}: csv.DictReader, then {output.label}", flush=True)
    pairs = paired(reader_command(files), score_command(files) + args, runs,
                   after=lambda: remove(written) if written else None)
    for n, (base, seconds, mb) in enumerate(pairs, 1):
        print(f"  pair {n}: csv.DictReader {base:6.2f} s | score {seconds:6.2f} s "
              f"{mb:6.0f} MB | ratio {seconds / base:5.2f}")
    ratio, peak = median_ratio(pairs), max(p[2] for p in pairs)
    print(f"  median ratio {ratio:.2f} (target <= {output.target:g}); peak memory "
          f"{peak:.0f} MB (target < {MEMORY_MB} MB)")
    return pairs, [
        Verdict(part, output.label, f"{ratio:.2f} x read", f"<= {output.target:g} x",
                ratio <= output.target),
        Verdict(part, "  its peak memory", f"{peak:.0f} MB",
                f"< {MEMORY_MB} MB", peak < MEMORY_MB),
    ]


def measure_scaling(args: argparse.Namespace, main_pairs: list[tuple[float, float, float]]
                    ) -> list[Verdict]:
    """The league table at each size, schemes and activities in proportion to adults."""
    print("\nscaling: the league table at each size (csv.DictReader, then score)", flush=True)
    verdicts = []
    target = OUTPUTS["table"].target
    for size in args.scale:
        schemes = max(1, round(args.schemes * size / args.adults))
        activities = max(1, round(args.activities * size / args.adults))
        if size == args.adults and main_pairs:
            pairs = main_pairs  # the table part measured this very register
        else:
            folder = args.dir if size == args.adults else args.dir / f"scale-{size}"
            files = register_files(folder, schemes, size, activities)
            pairs = paired(reader_command(files), score_command(files), args.runs)
        ratio, peak = median_ratio(pairs), max(p[2] for p in pairs)
        base = statistics.median(b for b, _, _ in pairs)
        seconds = statistics.median(s for _, s, _ in pairs)
        print(f"  {size:>9,} adults, {schemes:>6,} schemes, {activities:>7,} activities: "
              f"DictReader {base:6.2f} s, score {seconds:6.2f} s, {peak:5.0f} MB, "
              f"median ratio {ratio:5.2f}")
        verdicts.append(Verdict("scaling", f"league table, {size:,} adults",
                                f"{ratio:.2f} x read", f"<= {target:g} x", ratio <= target))
    return verdicts


def make_xlsx(path: Path, rows: int) -> None:
    """A register workbook whose adults sheet has ``rows`` rows (written with openpyxl)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    schemes = book.create_sheet("schemes")
    schemes.append(["scheme_id", "scheme_name", "scheme_type"])
    for i in range(1000):
        schemes.append([f"S{i:05d}", f"Scheme {i}", "official"])
    sheet = book.create_sheet("adults")
    sheet.append(ADULT_HEADER)
    for row in adults(random.Random(2), rows, 1000):
        sheet.append(row)
    book.save(path)


def measure_xlsx(args: argparse.Namespace) -> list[Verdict]:
    """Our reader (python-calamine) against openpyxl's read-only mode, in pairs."""
    workbook = args.dir / f"adults-{args.xlsx_rows}.xlsx"
    if not workbook.exists():
        print(f"\nwriting a {args.xlsx_rows:,}-row workbook ...", flush=True)
        make_xlsx(workbook, args.xlsx_rows)
    print(f"\nxlsx: openpyxl read-only, then our reader (calamine), {args.xlsx_rows:,} rows",
          flush=True)
    pairs = paired([sys.executable, "-c", OPENPYXL, str(workbook)],
                   [sys.executable, "-c", CALAMINE, str(workbook)], args.runs)
    for n, (opx, ours, _) in enumerate(pairs, 1):
        print(f"  pair {n}: openpyxl {opx:6.2f} s | our reader {ours:6.2f} s | "
              f"{opx / ours:5.1f} x faster")
    speedup = statistics.median(b / s for b, s, _ in pairs)
    print(f"  median {speedup:.1f} x faster (target >= 5)")
    return [Verdict("xlsx", "XLSX read: our reader against openpyxl read-only",
                    f"{speedup:.1f} x faster", ">= 5 x", speedup >= 5)]


def measure_help(runs: int) -> list[Verdict]:
    """``youthscheme-audit --help`` start-up, median of ``runs``."""
    script = Path(sys.executable).with_name("youthscheme-audit")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "youthscheme_audit"]
    times = [timed([*command, "--help"])[0] for _ in range(runs)]
    seconds = statistics.median(times)
    print(f"\nhelp: youthscheme-audit --help: {', '.join(f'{t:.3f}' for t in times)} s; "
          f"median {seconds:.3f} s (target < 0.3 s)")
    return [Verdict("help", "youthscheme-audit --help start-up", f"{seconds:.3f} s",
                    "< 0.3 s", seconds < 0.3)]


def sizes(text: str) -> list[int]:
    return [int(s.replace("_", "")) for s in text.split(",") if s]


def parts(text: str) -> list[str]:
    chosen = [p.strip() for p in text.split(",") if p.strip()]
    unknown = [p for p in chosen if p not in PARTS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown part {', '.join(unknown)} (choose from "
                                         f"{', '.join(PARTS)})")
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", type=Path, default=Path("benchmark-data"),
                        help="data folder (register, workbook, outputs while running)")
    parser.add_argument("--only", type=parts, default=list(PARTS),
                        help=f"comma-separated parts to run (default all: {','.join(PARTS)})")
    parser.add_argument("--schemes", type=int, default=20_000)
    parser.add_argument("--adults", type=int, default=1_000_000)
    parser.add_argument("--activities", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3, help="pairs per measurement")
    parser.add_argument("--scale", type=sizes, default=[100_000, 300_000, 1_000_000],
                        help="adults at each size of the scaling run (comma-separated)")
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--help-runs", type=int, default=5)
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    verdicts: list[Verdict] = []
    table_pairs: list[tuple[float, float, float]] = []
    if any(p in OUTPUTS for p in args.only):
        files = register_files(args.dir, args.schemes, args.adults, args.activities)
        for part in (p for p in OUTPUTS if p in args.only):
            pairs, found = measure_output(part, files, args.dir, args.runs)
            verdicts += found
            table_pairs = pairs if part == "table" else table_pairs
    if "scaling" in args.only:
        verdicts += measure_scaling(args, table_pairs)
    if "xlsx" in args.only:
        verdicts += measure_xlsx(args)
    if "help" in args.only:
        verdicts += measure_help(args.help_runs)
    print(f"\nsummary ({args.schemes:,} schemes, {args.adults:,} adults, "
          f"{args.activities:,} activities; medians of {args.runs} pairs)")
    for v in verdicts:
        print(f"{v.part:<8} {v.what:<52} {v.measured:>16}  target {v.target:<10} "
              f"{'met' if v.met else 'NOT met'}")


if __name__ == "__main__":
    main()
