"""What the command-line tests share: run the real CLI, and check a one-line input error."""

from __future__ import annotations

from click.testing import CliRunner

from youthscheme_audit.cli import main


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    """The CLI run as a user would: (exit code, stdout, stderr)."""
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def one_line_error(code: int, err: str, *expected: str) -> None:
    """Exit 2 with one 'error:' line on stderr holding each expected text, no traceback."""
    assert code == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err
    for text in expected:
        assert text in err
