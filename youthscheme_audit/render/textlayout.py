"""Fast fixed-layout renderables for rich, for reports of thousands of schemes.

rich's ``Table`` measures every cell of every row and wraps through ``Text``: about
10 ms per small table, minutes for a 20,000-scheme batch. These renderables lay out
plain strings with ``textwrap`` and yield segments directly, at the console's width.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style

Cell = tuple[str, str]  # (text, style)


def style_of(name: str) -> Style | None:
    """A parsed style (rich caches parsing), or None for no style."""
    return Style.parse(name) if name else None


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` characters; explicit line breaks kept; never empty."""
    lines: list[str] = []
    for part in text.split("\n"):
        lines += textwrap.wrap(part, width, break_on_hyphens=False) or [""]
    return lines


class Row(NamedTuple):
    label: str
    label_style: str
    text: str
    text_style: str


class LabelRows:
    """Rows of a label and a text, the text wrapped with a hanging indent (a fast grid)."""

    def __init__(self, indent: int = 0, gap: int = 2) -> None:
        self.indent = indent
        self.gap = gap
        self.rows: list[Row] = []

    def add(self, label: str, text: str, label_style: str = "", text_style: str = "") -> None:
        """Add one row; ``text`` may hold line breaks."""
        self.rows.append(Row(label, label_style, text, text_style))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        label_width = max((len(r.label) for r in self.rows), default=0)
        width = max(options.max_width - self.indent - label_width - self.gap, 20)
        pad = Segment(" " * self.indent)
        gap = Segment(" " * self.gap)
        for row in self.rows:
            for i, line in enumerate(wrap(row.text, width)):
                label = row.label if i == 0 else ""
                yield pad
                yield Segment(label.ljust(label_width), style_of(row.label_style))
                yield gap
                yield Segment(line, style_of(row.text_style))
                yield Segment.line()


class FixedTable:
    """A borderless table: header, rule, rows; the first column shortened to fit."""

    def __init__(self, headers: Sequence[str], right: Iterable[int] = (), indent: int = 1
                 ) -> None:
        self.headers = list(headers)
        self.right = set(right)
        self.indent = indent
        self.rows: list[list[Cell]] = []

    def add_row(self, *cells: Cell) -> None:
        """Add one row of (text, style) cells."""
        self.rows.append(list(cells))

    def widths(self, max_width: int) -> list[int]:
        """Column widths from the content; the first column gives way when too wide."""
        widths = [max([len(h), *(len(r[i][0]) for r in self.rows)])
                  for i, h in enumerate(self.headers)]
        spare = max_width - self.indent - sum(widths[1:]) - 2 * (len(widths) - 1)
        widths[0] = max(min(widths[0], spare), len(self.headers[0]), 8)
        return widths

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        widths = self.widths(options.max_width)
        pad = Segment(" " * self.indent)
        yield from self._line([(h, "bold") for h in self.headers], widths, pad)
        yield pad
        yield Segment("  ".join("─" * w for w in widths), style_of("dim"))
        yield Segment.line()
        for row in self.rows:
            yield from self._line(row, widths, pad)

    def _line(self, cells: list[Cell], widths: list[int], pad: Segment) -> RenderResult:
        yield pad
        for i, ((text, style), width) in enumerate(zip(cells, widths, strict=True)):
            if len(text) > width:
                text = text[: width - 1] + "…"
            text = text.rjust(width) if i in self.right else text.ljust(width)
            if i:
                yield Segment("  ")
            yield Segment(text, style_of(style))
        yield Segment.line()


def plain_table(headers: Sequence[str], rows: Iterable[Sequence[str]], right: set[int],
                caps: dict[int, int]) -> str:
    """A fixed-width text table as one string (for tens of thousands of rows).

    Cells of a capped column longer than its cap end in "…"; each line is one
    ``str.format`` call, so 20,000 rows take a fraction of a second.
    """
    body = [list(row) for row in rows]
    for i, cap in caps.items():
        for row in body:
            if len(row[i]) > cap:
                row[i] = row[i][: cap - 1] + "…"
    widths = [max([len(h), *(len(r[i]) for r in body)]) for i, h in enumerate(headers)]
    template = "  ".join(f"{{:{'>' if i in right else '<'}{w}}}" for i, w in enumerate(widths))
    rule = "  ".join("-" * w for w in widths)
    lines = [template.format(*headers).rstrip(), rule]
    lines += [template.format(*row).rstrip() for row in body]
    return "\n".join(lines) + "\n"
