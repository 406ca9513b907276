"""Renderers: one per output format, all reading the same report dict."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any, NamedTuple


class Format(StrEnum):
    """Output formats of report and score."""

    TERMINAL = "terminal"
    MARKDOWN = "markdown"
    HTML = "html"
    JSON = "json"
    CSV = "csv"


Renderer = Callable[[dict[str, Any]], str]


Writer = Callable[[dict[str, Any], Any], None]  # report dict, an open handle


class Stream(NamedTuple):
    """A streaming writer and whether its handle is binary (JSON: orjson makes bytes)."""

    write: Writer
    binary: bool


def writer(fmt: Format) -> Stream | None:
    """A streaming writer for ``fmt`` (JSON, CSV), which accepts a lazy ``schemes``."""
    if fmt is Format.JSON:
        from youthscheme_audit.render.json_out import write

        return Stream(write, binary=True)
    if fmt is Format.CSV:
        from youthscheme_audit.render.csv_out import write as write_csv

        return Stream(write_csv, binary=False)
    return None


def renderer(fmt: Format) -> Renderer:
    """The function that renders ``fmt`` (imported lazily: --help stays fast)."""
    if fmt is Format.JSON:
        from youthscheme_audit.render.json_out import render
    elif fmt is Format.CSV:
        from youthscheme_audit.render.csv_out import render
    elif fmt is Format.MARKDOWN:
        from youthscheme_audit.render.markdown import render
    elif fmt is Format.HTML:
        from youthscheme_audit.render.html import render
    else:
        from youthscheme_audit.render.terminal import render_plain as render
    return render
