"""Heavy hostile-input probes (issue 11), too slow for the test suite. Each prints PASS or FAIL.

    python benchmarks/probe.py [--dir DIR] [--kills 20] [--quick]

* a zip bomb (3.2 GB of sheet XML in a few MB) and one cell at XFD1048576: exit 2 within
  seconds, little memory;
* a 1,000,000-row activities CSV with issue 11's unclosed quote near the top, and one
  whose quote runs to the end of the file: every row read, the problem listed;
* ``score -o DIR/`` killed with SIGKILL at random moments: DIR always holds the old
  complete set or the new one (or, in the instant between the two renames, neither,
  with both complete beside it), and the next run says what it put right;
* ``walk`` killed with SIGKILL at random moments while answering: the answers file is
  always complete and loadable, no answer already saved is lost, and the next walk
  takes over the dead walk's lock.

Every child is a fresh process (``python -m youthscheme_audit``); peak memory is its
maximum resident set.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))

PY = sys.executable
CLI = [PY, "-m", "youthscheme_audit"]
AS_OF = "2026-11-22"
BROKEN = 'S-003,A-3001,2026-10-05,"Session,Scheme,,1,9,,,N'
RESULTS: list[tuple[str, bool, str]] = []


def report(name: str, ok: bool, detail: str) -> None:
    RESULTS.append((name, ok, detail))
    print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}", flush=True)


def timed(args: list[str]) -> tuple[int, float, float, str]:
    """(exit code, seconds, peak resident MB, stderr) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    _, status, usage = os.wait4(proc.pid, 0)
    err = proc.stderr.read().decode("utf-8", "replace")
    return (os.waitstatus_to_exitcode(status), time.perf_counter() - start,
            usage.ru_maxrss / 1024, err)


# --- XLSX -----------------------------------------------------------------------------------

SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
              b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>')


def small_workbook(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "schemes"
    sheet.append(["scheme_id", "scheme_name"])
    sheet.append(["S-1", "Oak"])
    book.save(path)
    return path


def zip_bomb(path: Path, gigabytes: float) -> Path:
    """A workbook whose schemes sheet inflates to ``gigabytes`` of repeated rows."""
    base = small_workbook(path.with_name("base.xlsx"))
    block = b'<row r="2"><c r="A2" t="inlineStr"><is><t>S-1</t></is></c></row>' * (1 << 16)
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED,
                                                       compresslevel=9) as zout:
        for info in zin.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                zout.writestr(info, zin.read(info.filename))
        with zout.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(SHEET_HEAD)
            written = 0
            while written < gigabytes * 1e9:
                out.write(block)
                written += len(block)
            out.write(b"</sheetData></worksheet>")
    return path


def probe_xlsx(folder: Path) -> None:
    bomb = folder / "bomb.xlsx"
    if not bomb.exists():
        print("writing a zip bomb (3.2 GB of XML, once) ...", flush=True)
        zip_bomb(bomb, 3.2)
    with zipfile.ZipFile(bomb) as z:
        inflated = z.getinfo("xl/worksheets/sheet1.xml").file_size
    code, seconds, mb, err = timed([*CLI, "score", str(bomb)])
    report("zip bomb", code == 2 and seconds < 10 and mb < 300 and "zip bomb" in err,
           f"{bomb.stat().st_size / 1e6:.1f} MB file, {inflated / 1e9:.1f} GB of XML: exit "
           f"{code} in {seconds:.1f} s, {mb:.0f} MB: {err.strip()[:150]}")
    from openpyxl import load_workbook

    far = folder / "far.xlsx"
    small_workbook(far)
    book = load_workbook(far)
    book["schemes"]["XFD1048576"] = "x"
    book.save(far)
    code, seconds, mb, err = timed([*CLI, "score", str(far)])
    report("one cell at XFD1048576", code == 2 and seconds < 5 and mb < 300,
           f"{far.stat().st_size / 1e3:.1f} KB: exit {code} in {seconds:.1f} s, {mb:.0f} MB: "
           f"{err.strip()[:120]}")


# --- big CSV ----------------------------------------------------------------------------------


def big_activities(folder: Path, rows: int, quote_at: int) -> Path:
    """schemes.csv and a ``rows``-row activities.csv with issue 11's row at ``quote_at``."""
    out = folder / f"big-{rows}-{quote_at}"
    out.mkdir(exist_ok=True)
    (out / "schemes.csv").write_text("scheme_id,scheme_name,scheme_type,age_min\n" + "".join(
        f"S-{i:03d},Scheme {i},unofficial,10\n" for i in range(1, 1001)))
    with (out / "activities.csv").open("w") as handle:
        handle.write("scheme_id,activity_id,date,kind,arranged_by,teacher_present,"
                     "adults_present,young_people_present,risk_assessment_date,consent_forms,"
                     "first_aider_present\n")
        for i in range(rows):
            if i == quote_at:
                handle.write(BROKEN + "\n")
            else:
                handle.write(f"S-{1 + i % 1000:03d},A-{i},2026-10-05,Session,Scheme,Y,2,12,,,Y\n")
    return out


def probe_csv(folder: Path, quick: bool) -> None:
    rows = 100_000 if quick else 1_000_000
    for where, quote_at in (("near the top", 10), ("on the last row", rows - 1)):
        register = big_activities(folder, rows, quote_at)
        out = folder / "big.json"
        code, seconds, mb, err = timed([*CLI, "score", str(register), "--as-of", AS_OF,
                                        "--format", "json", "-o", str(out)])
        if code != 0:
            report(f"{rows:,}-row CSV, unclosed quote {where}", False, err.strip())
            continue
        data = json.loads(out.read_text())
        notes = [d for d in data["data_quality"] if "unclosed quote" in d["problem"]]
        counted = len(data["schemes"])
        noted = notes[0]["row"] if notes else "-"
        report(f"{rows:,}-row CSV, unclosed quote {where}",
               len(notes) == 1 and noted == quote_at + 2 and counted == 1000,
               f"exit 0 in {seconds:.1f} s, {mb:.0f} MB; noted at row {noted}; {counted} "
               "schemes scored")
        check = [PY, "-c", "import sys; from pathlib import Path; "
                 "from youthscheme_audit.registers import read_register; "
                 "r = read_register([Path(sys.argv[1])]); print(r.tables['activities'].nrows)",
                 str(register)]
        nrows = int(subprocess.run(check, capture_output=True, text=True).stdout)
        report(f"{rows:,}-row CSV, unclosed quote {where}: rows read", nrows == rows,
               f"{nrows:,} of {rows:,} activity rows read")


# --- kill -9 of score -o DIR/ ------------------------------------------------------------------


def check_set(folder: Path) -> str | None:
    """The as-of date of the complete set in ``folder``, or None if it is not complete."""
    index = folder / "index.json"
    try:
        data = json.loads(index.read_text())
        names = {row["file"] for row in data["schemes"]}
        for name in names:
            json.loads((folder / name).read_text())
        if {p.name for p in folder.iterdir()} != names | {"index.json"}:
            return None
        return str(data["as_of"])
    except (OSError, ValueError, KeyError):
        return None


def probe_score_kills(folder: Path, kills: int) -> None:
    from generate import generate

    register = folder / "kill-register"
    if not (register / "schemes.csv").exists():
        generate(register, 2_000, 20_000, 4_000, seed=3)
    out = folder / "kill-reports"
    shutil.rmtree(out, ignore_errors=True)
    base = [*CLI, "score", str(register / "schemes.csv"), str(register / "adults.csv"),
            str(register / "activities.csv"), "--format", "json", "-o", f"{out}/"]
    subprocess.run([*base, "--as-of", "2026-01-01"], check=True, capture_output=True)
    start = time.perf_counter()
    subprocess.run([*base, "--as-of", "2026-01-02"], check=True, capture_output=True)
    full = time.perf_counter() - start
    rng = random.Random(11)
    states: dict[str, int] = {}
    bad = []
    for n in range(kills):
        day = f"2026-02-{1 + n % 28:02d}"
        before = check_set(out)
        proc = subprocess.Popen([*base, "--as-of", day], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, full * 1.1))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = check_set(out)
        new, old = out.with_name(f".{out.name}.new"), out.with_name(f".{out.name}.old")
        if now in (before, day):
            states["old set" if now == before else "new set"] = states.get(
                "old set" if now == before else "new set", 0) + 1
        elif now is None and not out.exists() and check_set(new) == day \
                and check_set(old) == before:
            states["between the renames"] = states.get("between the renames", 0) + 1
        else:
            bad.append(f"kill {n}: {out} holds {now!r} (before {before!r}, new {day})")
        after = subprocess.run([*base, "--as-of", day], capture_output=True, text=True)
        if after.returncode != 0 or check_set(out) != day or new.exists() or old.exists():
            bad.append(f"kill {n}: the next run left {check_set(out)!r}: {after.stderr}")
        elif "note:" in after.stderr:
            states["next run said what it put right"] = states.get(
                "next run said what it put right", 0) + 1
    report(f"score -o DIR/ killed {kills} times", not bad,
           "; ".join(bad[:3]) or ", ".join(f"{k}: {v}" for k, v in states.items())
           + f" (a full run takes {full:.1f} s)")


# --- kill -9 of the walk -------------------------------------------------------------------------


def probe_walk_kills(folder: Path, kills: int) -> None:
    import yaml
    from walk_support import SETS

    path = folder / "walk-kill.yaml"
    for stale in (path, path.with_name(path.name + ".lock")):
        stale.unlink(missing_ok=True)
    walk = [*CLI, "walk", "--answers", str(path), "--assessor", "Sam", *SETS]
    rng = random.Random(5)
    bad = []
    kept = 0
    for n in range(kills):
        proc = subprocess.Popen(walk, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        assert proc.stdin is not None
        try:
            proc.stdin.write(rng.choice("ynpad") + "\n" if n % 3 else "y\n" * 3)
            proc.stdin.flush()
        except BrokenPipeError:
            pass
        time.sleep(rng.uniform(0.05, 0.6))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if path.exists():
            try:
                answers = yaml.safe_load(path.read_text())["answers"]
            except Exception as exc:  # noqa: BLE001 - any failure to read is the finding
                bad.append(f"kill {n}: the answers file does not load ({exc})")
                continue
            if len(answers) < kept:
                bad.append(f"kill {n}: {kept - len(answers)} saved answers lost")
            kept = len(answers)
    resumed = subprocess.run(walk, input="y\n", capture_output=True, text=True)
    if resumed.returncode != 0:
        bad.append(f"the walk after the kills failed: {resumed.stderr.strip()}")
    report(f"walk killed {kills} times", not bad,
           "; ".join(bad[:3]) or f"the file always loaded; {kept} answers kept; the next walk "
           "took over the stale lock")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", type=Path, default=Path("benchmark-data") / "probe")
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--quick", action="store_true",
                        help="smaller files and fewer kills (about a minute)")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    kills = 5 if args.quick else args.kills
    probe_xlsx(args.dir)
    probe_csv(args.dir, args.quick)
    probe_score_kills(args.dir, kills)
    probe_walk_kills(args.dir, kills)
    failed = [name for name, ok, _ in RESULTS if not ok]
    print(f"{len(RESULTS) - len(failed)} of {len(RESULTS)} probes passed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
