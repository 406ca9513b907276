"""Inputs that are not regular files, and outputs that must not be replaced or half-written."""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path

import pytest
from cli_support import one_line_error, run

from youthscheme_audit import yamlio
from youthscheme_audit.render import per_scheme

ROOT = Path(__file__).resolve().parent.parent
REGISTER = ROOT / "examples" / "register.xlsx"
ANSWERS = ROOT / "examples" / "unofficial-school-scheme.yaml"
RESULT_ARGS = ("--as-of", "2026-11-22", "--format", "json")


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


def hang_guard() -> threading.Timer:
    """Fail loudly instead of hanging for ever if a FIFO is ever opened for reading."""
    timer = threading.Timer(20, lambda: os._exit(3))
    timer.daemon = True
    timer.start()
    return timer


@pytest.fixture
def result_json(tmp_path: Path) -> Path:
    path = tmp_path / "result.json"
    code, _, err = run("report", str(ANSWERS), *RESULT_ARGS, "-o", str(path))
    assert code == 0, err
    return path


def inputs(special: Path, result: Path) -> dict[str, list[str]]:
    """Every kind of input file, each given ``special`` in its place."""
    s = str(special)
    return {
        "answers": ["report", s],
        "waivers": ["report", str(ANSWERS), "--waivers", s],
        "mapping": ["score", str(REGISTER), "--mapping", s],
        "checklists": ["lint", s],
        "compare old": ["compare", s, str(result)],
        "compare new": ["compare", str(result), s],
        "spot self": ["walk", "--mode", "spot", "--self", s],
    }


@pytest.mark.parametrize("kind", ["answers", "waivers", "mapping", "compare old", "compare new",
                                  "spot self"])
@pytest.mark.parametrize("special", ["fifo", "/dev/zero", "dir"])
def test_an_input_that_is_not_a_regular_file_is_refused_before_reading(
        kind: str, special: str, fifo: Path, tmp_path: Path, result_json: Path) -> None:
    target = {"fifo": fifo, "/dev/zero": Path("/dev/zero"), "dir": tmp_path}[special]
    word = {"fifo": "a named pipe", "/dev/zero": "a character device",
            "dir": "a directory"}[special]
    timer = hang_guard()
    try:
        code, _, err = run(*inputs(target, result_json)[kind])
    finally:
        timer.cancel()
    one_line_error(code, err, str(target), f"is {word}, not a regular file")


def test_lint_lists_a_checklist_that_is_a_pipe_as_a_problem(fifo: Path) -> None:
    timer = hang_guard()
    try:
        code, out, _ = run("lint", str(fifo))
    finally:
        timer.cancel()
    assert code == 1
    assert f"{fifo}:1: is a named pipe, not a regular file" in out


@pytest.mark.parametrize("name", ["register.csv", "schemes.xlsx"])
def test_a_register_that_is_a_pipe_or_device_is_refused(name: str, tmp_path: Path) -> None:
    os.mkfifo(tmp_path / name)
    timer = hang_guard()
    try:
        code, _, err = run("score", str(tmp_path / name))
    finally:
        timer.cancel()
    one_line_error(code, err, f"{tmp_path / name}: is a named pipe, not a regular file")


def test_report_of_dev_zero_is_one_line_error(tmp_path: Path) -> None:
    code, _, err = run("report", "/dev/zero")
    assert err == "error: /dev/zero: is a character device, not a regular file: expected a " \
                  "YAML file\n"
    assert code == 2


# --- outputs ------------------------------------------------------------------------------


def test_o_onto_a_symlink_leaves_the_link_and_its_target(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("keep me")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    code, _, err = run("report", str(ANSWERS), "--format", "markdown", "-o", str(link))
    one_line_error(code, err, f"{link}: is a symbolic link: refusing to replace it")
    assert link.is_symlink() and real.read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.md", "real.md"]


def test_o_onto_a_device_is_refused(tmp_path: Path) -> None:
    code, _, err = run("report", str(ANSWERS), "-o", "/dev/null", "--format", "json")
    one_line_error(code, err, "/dev/null: is a character device: refusing to replace it")
    assert Path("/dev/null").is_char_device()


@pytest.mark.parametrize("command", [["sample", str(REGISTER), "--scheme", "S-001", "--seed", "1"],
                                     ["report", str(ANSWERS)]])
def test_o_onto_a_directory_is_one_line_error(command: list[str], tmp_path: Path) -> None:
    code, _, err = run(*command, "-o", str(tmp_path))
    one_line_error(code, err, f"{tmp_path}: is a directory: give a file name to write")
    assert "Usage" not in err


def test_a_full_disk_names_the_path_and_keeps_the_old_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "report.md"
    out.write_text("the old report")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(yamlio.os, "fsync", full)
    code, _, err = run("report", str(ANSWERS), "--format", "markdown", "-o", str(out))
    assert err == (f"error: {out}: cannot write (no space left on the device); the old file is "
                   "unchanged\n")
    assert code == 2
    assert out.read_text() == "the old report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"], "no temporary file left"


def test_a_missing_folder_is_named_not_a_temp_file(tmp_path: Path) -> None:
    out = tmp_path / "nowhere" / "r.md"
    code, _, err = run("report", str(ANSWERS), "--format", "markdown", "-o", str(out))
    assert err == f"error: {out}: cannot write: the folder {out.parent} does not exist\n"
    assert ".tmp" not in err


# --- score -o DIR/: the whole set or none of it ------------------------------------------------


def score_dir(out: Path, *extra: str) -> tuple[int, str]:
    code, _, err = run("score", str(REGISTER), "--as-of", "2026-11-22", "--format", "json",
                       "-o", f"{out}/", *extra)
    return code, err


def test_a_second_run_replaces_the_whole_set(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    assert score_dir(out)[0] == 0
    (out / "S-999.json").write_text("{}")  # a scheme no longer in the register
    assert score_dir(out)[0] == 0
    assert "S-999.json" not in {p.name for p in out.iterdir()}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports"]


KILLED_MID_SWAP = """
import os, sys
from youthscheme_audit.render import per_scheme
real = os.rename
calls = []
def rename(src, dst):
    calls.append(dst)
    if len(calls) == 2:
        os._exit(9)  # as kill -9: nothing after this runs, no handler, no cleanup
    real(src, dst)
per_scheme.os.rename = rename
from youthscheme_audit.cli import main
main(sys.argv[1:])
"""


def test_killed_between_the_renames_the_next_run_finishes_and_says_so(tmp_path: Path) -> None:
    import subprocess
    import sys

    out = tmp_path / "reports"
    assert score_dir(out)[0] == 0
    old_index = (out / "index.json").read_text()
    child = subprocess.run([sys.executable, "-c", KILLED_MID_SWAP, "score", str(REGISTER),
                            "--as-of", "2026-11-23", "--format", "json", "-o", f"{out}/"],
                           capture_output=True, text=True)
    assert child.returncode == 9
    assert not out.exists()  # the window: the old set aside, the new one complete beside it
    assert per_scheme.is_complete(tmp_path / ".reports.new")
    assert (tmp_path / ".reports.old" / "index.json").read_text() == old_index
    code, err = score_dir(out)
    assert code == 0
    assert "note: an interrupted run stopped between swapping folders: finished the swap" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports"]


def test_ctrl_c_between_the_renames_puts_the_old_set_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "reports"
    assert score_dir(out)[0] == 0
    before = {p.name: p.read_text() for p in out.iterdir()}
    real_rename = os.rename
    calls: list[str] = []

    def interrupted(src: str, dst: str) -> None:
        calls.append(dst)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real_rename(src, dst)

    monkeypatch.setattr(per_scheme.os, "rename", interrupted)
    code, _ = score_dir(out, "--as-of", "2026-11-23")
    assert code == 130
    assert {p.name: p.read_text() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports"]


def test_a_half_written_set_is_removed_and_the_old_set_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "reports"
    assert score_dir(out)[0] == 0
    before = {p.name: p.read_text() for p in out.iterdir()}
    half = tmp_path / ".reports.new"
    half.mkdir()
    (half / "S-001.json").write_text("{")  # killed while writing: no index yet
    real_write = per_scheme._write_set

    def full_disk(*args: object) -> list[str]:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(per_scheme, "_write_set", full_disk)
    code, err = score_dir(out)
    assert code == 2
    assert err.splitlines() == [
        f"note: removed {tmp_path / '.reports.new'}, an unfinished set of reports from an "
        f"interrupted run; {out} was not touched by it",
        f"error: {out}: cannot write the reports (no space left on the device); the folder is "
        "unchanged"]
    assert {p.name: p.read_text() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports"]
    monkeypatch.setattr(per_scheme, "_write_set", real_write)


def test_someone_elses_folder_is_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "thesis.docx").write_text("years of work")
    code, err = score_dir(tmp_path / "docs")
    one_line_error(code, err, "is a folder holding other things than reports")
    assert (tmp_path / "docs" / "thesis.docx").read_text() == "years of work"
    (tmp_path / "link").symlink_to(tmp_path / "docs")
    code, err = score_dir(tmp_path / "link")
    one_line_error(code, err, "is a symbolic link")
