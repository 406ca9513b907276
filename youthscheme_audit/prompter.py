"""The real prompter: the only module that reads a person's keys and lines.

On a terminal, answers are single keys read raw with ``click.getchar`` (Ctrl-C raises
KeyboardInterrupt, Ctrl-D EOFError) and lines are read with readline editing. When
stdin is not a terminal (a pipe, a file, a test runner), every answer is one line and
the end of input raises EOFError, so ``yes y | youthscheme-audit walk ...`` works.
Output goes through rich, always as plain Text: checklist wording and notes are never
read as markup.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from types import FrameType
from typing import Any, TextIO

import click
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

STYLES = {
    "area": "bold cyan",
    "progress": "dim",
    "question": "bold",
    "choice": "",
    "legend": "dim",
    "dim": "dim",
    "hint": "yellow",
    "help": "cyan",
    "spot": "magenta",
    "divergent": "bold red",
    "ok": "green",
    "prompt": "bold",
}
ENTER = ("\r", "\n")
LABEL_WIDTH = {"choice": 1, "help": 18, "spot": 19}


class Hangup(Exception):  # noqa: N818 - named for the signal, like KeyboardInterrupt
    """The terminal went away (SIGHUP) or the process was told to stop (SIGTERM)."""


class TerminalPrompter:
    """Single keys on a terminal, one line per answer otherwise."""

    def __init__(self, console: Console | None = None, stdin: TextIO | None = None,
                 interactive: bool | None = None) -> None:
        self.console = console or Console(highlight=False)
        self.stdin = stdin
        if interactive is None:
            interactive = _isatty(self._in())
        self.interactive = interactive

    def _in(self) -> TextIO:
        return self.stdin if self.stdin is not None else sys.stdin

    def show(self, text: str = "", style: str = "") -> None:
        look = STYLES.get(style, "")
        if style == "area":
            self.console.print()
            self.console.rule(Text(text, style=look), align="left", style="cyan")
        elif "\t" in text:  # label and text: two columns, the text wrapping beside its label
            label, _, body = text.partition("\t")
            grid = Table.grid(padding=(0, 2))
            grid.add_column(min_width=LABEL_WIDTH.get(style, 20), style=f"bold {look}".strip())
            grid.add_column(style=look)
            grid.add_row(Text(label), Text(body))
            self.console.print(Padding(grid, (0, 0, 0, 2)))
        else:  # piped output stays one line per message, so logs can be searched
            self.console.print(Text(text, style=look), soft_wrap=not self.interactive)

    def key(self, prompt: str, allowed: str) -> str:
        if not self.interactive:
            return self._read_line(prompt).strip()
        self.console.print(Text(prompt, style=STYLES["prompt"]), end="")
        self.console.file.flush()
        pressed = click.getchar()
        pressed = "" if pressed in ENTER else pressed.lower()
        # echo only a real key, so arrow keys and the like leave no escape codes behind
        self.console.print(Text(pressed if pressed in allowed else ""))
        return pressed

    def line(self, prompt: str, default: str = "") -> str:
        if self.interactive:
            text = self.console.input(Text(prompt, style=STYLES["prompt"]))
        else:
            text = self._read_line(prompt)
        return text.strip() or default

    def _read_line(self, prompt: str) -> str:
        """One line of piped input, echoed after the prompt so a transcript reads well."""
        self.console.print(Text(prompt, style=STYLES["prompt"]), end="")
        raw = self._in().readline()
        if not raw:
            self.console.print()
            raise EOFError
        text = raw.rstrip("\r\n")
        self.console.print(Text(text))
        return text


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


@contextmanager
def hangup_raises() -> Iterator[None]:
    """While active, SIGHUP and SIGTERM raise Hangup, so except and finally blocks run."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise Hangup(signal.Signals(signum).name)

    previous: dict[int, Any] = {}
    for name in ("SIGHUP", "SIGTERM"):
        sig = getattr(signal, name, None)
        if sig is None:
            continue
        with suppress(ValueError):  # not the main thread: leave signals alone
            previous[sig] = signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
