"""Benchmark: the JSON result's writer and the garbage collector, phase by phase.

    python benchmarks/json_writer.py DIR [--runs 1] [--only writers|gc] [--as-of 2026-11-22]

DIR holds a register from ``generate.py`` (schemes.csv, adults.csv, activities.csv).
Each variant runs in a fresh process, which prints how long it took to read and score
the register (``build``) and to turn the findings into dicts and write them (``write``), the part
of each spent in the garbage collector (timed by ``gc.callbacks``), the processor time
of the write (steadier than wall time on a shared machine), and the bytes written (the
fastest of ``--runs`` is shown):

* writers, on the same findings: the standard library's ``json`` (one ``dumps`` per
  scheme to a text file, as the writer did before orjson) on the previous shape (control
  text in every finding) and on the current one, and orjson (``json_out.write``);
* the garbage collector around the build: left alone, ``gc.freeze()`` after it, or
  paused during it (``gc.disable()``, then ``gc.freeze()`` and ``gc.enable()``); for the
  JSON result and for the league table (no cited rows, nothing written).
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, BinaryIO

ROOT = Path(__file__).resolve().parent.parent
WRITERS = ("stdlib-previous-shape", "stdlib", "orjson")
GC_MODES = ("on", "freeze", "pause")


def stdlib_write(report: dict[str, Any], out: BinaryIO) -> None:
    """A batch result written with the standard library, one scheme a line, as before."""
    text = open(out.fileno(), "w", encoding="utf-8", newline="", closefd=False)  # noqa: SIM115
    head = {k: v for k, v in report.items() if k not in ("schemes", "data_quality")}
    text.write(json.dumps(head, indent=2, ensure_ascii=False)[:-2] + ',\n  "schemes": [')
    for n, scheme in enumerate(report["schemes"]):
        text.write(("\n    " if n == 0 else ",\n    ") + json.dumps(scheme, ensure_ascii=False))
    issues = json.dumps(report["data_quality"], ensure_ascii=False)
    text.write(f'\n  ],\n  "data_quality": {issues}\n}}\n')
    text.flush()


def child(directory: Path, as_of: str, writer: str, gc_mode: str, league: bool) -> None:
    """One measured run; prints a JSON line of its phase times."""
    import datetime as dt

    from youthscheme_audit.catalog import require_catalog
    from youthscheme_audit.pipeline import score_register
    from youthscheme_audit.render.json_out import write
    from youthscheme_audit.report import report_dict

    catalog = require_catalog(())
    files = [directory / f"{t}.csv" for t in ("schemes", "adults", "activities")]
    collecting = [0.0, 0.0]  # when the running collection started, seconds collecting

    def clock(phase: str, info: dict[str, int]) -> None:
        now = time.perf_counter()
        if phase == "start":
            collecting[0] = now
        else:
            collecting[1] += now - collecting[0]

    gc.callbacks.append(clock)
    start = time.perf_counter()
    if gc_mode == "pause":
        gc.disable()
    result = score_register(catalog, files, as_of=dt.date.fromisoformat(as_of), cite=not league)
    if gc_mode in ("freeze", "pause"):
        gc.freeze()
        gc.enable()
    built, cpu_built = time.perf_counter(), time.process_time()
    gc_build, collecting[1] = collecting[1], 0.0
    size = 0
    if league:
        from rich.console import Console

        from youthscheme_audit.render.terminal import print_league

        with open("/dev/null", "w", encoding="utf-8") as sink:
            print_league(report_dict(result, detail=False), Console(file=sink, width=100))
    else:
        out = directory / f"bench-{writer}.json"
        data = report_dict(result, lazy=True, compact=writer != "stdlib-previous-shape")
        with open(out, "wb") as handle:
            (write if writer == "orjson" else stdlib_write)(data, handle)
        size = out.stat().st_size
        out.unlink()
    done = time.perf_counter()
    cpu = time.process_time() - cpu_built
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"build": built - start, "write": done - built, "bytes": size,
                      "gc_build": gc_build, "gc_write": collecting[1], "peak_mb": peak,
                      "write_cpu": cpu}))


def measure(args: argparse.Namespace, writer: str, gc_mode: str, league: bool) -> dict[str, Any]:
    cmd = [sys.executable, __file__, str(args.dir), "--as-of", args.as_of, "--child",
           writer, gc_mode, "league" if league else "json"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def report(label: str, runs: list[dict[str, Any]]) -> None:
    best = min(runs, key=lambda r: r["build"] + r["write"])
    size = f", {best['bytes'] / 1e6:.0f} MB" if best["bytes"] else ""
    print(f"{label:38} build {best['build']:6.2f} s (gc {best['gc_build']:5.2f})  write "
          f"{best['write']:6.2f} s (cpu {best['write_cpu']:5.2f}, gc {best['gc_write']:5.2f})  "
          "total "
          f"{best['build'] + best['write']:6.2f} s, peak {best['peak_mb']:.0f} MB{size}",
          flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dir", type=Path)
    parser.add_argument("--as-of", default="2026-11-22")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--only", choices=("writers", "gc"), help="one half of the runs")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        writer, gc_mode, kind = args.child
        child(args.dir, args.as_of, writer, gc_mode, kind == "league")
        return
    for writer in WRITERS if args.only != "gc" else ():
        report(f"writer {writer} (gc on)",
               [measure(args, writer, "on", False) for _ in range(args.runs)])
    for league in (False, True) if args.only != "writers" else ():
        for gc_mode in GC_MODES:
            kind = "league table" if league else "json (orjson)"
            report(f"{kind}, gc {gc_mode}",
                   [measure(args, "orjson", gc_mode, league) for _ in range(args.runs)])


if __name__ == "__main__":
    main()
