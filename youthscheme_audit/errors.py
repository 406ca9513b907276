"""One exception base for every user mistake, and the exit codes they map to."""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """The exit codes of the command-line contract (product.md)."""

    OK = 0
    FINDINGS = 1  # --fail-on tripped, lint problems, compare regression
    INPUT_ERROR = 2  # usage or input error


class AuditError(Exception):
    """A problem with the user's input, reported as one line and exit code 2.

    The location is rendered the way editors and CI logs understand it:
    ``file:line: message`` (or ``file: row 12, column dbs_level: message``).
    """

    def __init__(
        self,
        message: str,
        path: str | Path | None = None,
        line: int | None = None,
        where: str | None = None,
    ) -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.where = where
        super().__init__(str(self))

    def __str__(self) -> str:
        place = self.path or ""
        if self.line is not None:
            place += f":{self.line}"
        if self.where:
            place += f": {self.where}" if place else self.where
        return f"{place}: {self.message}" if place else self.message


class YamlError(AuditError):
    """A YAML file could not be read safely."""


class CatalogError(AuditError):
    """A checklist definition is invalid."""


class AnswersError(AuditError):
    """An answers file is invalid."""


class RegisterError(AuditError):
    """A register export cannot be read as a register."""


class WaiverError(AuditError):
    """A waiver file is invalid."""
