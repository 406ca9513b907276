"""Register check kinds: an explicit registry from the name used in YAML to the class."""

from __future__ import annotations

from youthscheme_audit.checks.base import Check, Context, Outcome
from youthscheme_audit.checks.compare import Compare
from youthscheme_audit.checks.date_age import DateAge
from youthscheme_audit.checks.no_match import NoMatch
from youthscheme_audit.checks.no_rows import NoRows
from youthscheme_audit.checks.present import Present
from youthscheme_audit.checks.ratio import Ratio
from youthscheme_audit.checks.values_in import ValuesIn

KINDS: dict[str, type[Check]] = {
    kind.NAME: kind for kind in (ValuesIn, Present, Compare, DateAge, NoRows, NoMatch, Ratio)
}

__all__ = ["KINDS", "Check", "Context", "Outcome"]
