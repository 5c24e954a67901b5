"""The sandbox banner: always printed (stderr when stdout is not a terminal), and it agrees with the
README and docs/sandbox.md on the users and their languages."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.clock import SystemClock
from bot.sandbox_mode import banner, print_banner
from sandbox import Sandbox
from sandbox.seed import SEED_USERS

ROOT = Path(__file__).resolve().parents[2]
FRENCH = {name for name, _, locale, _ in SEED_USERS if locale.startswith("fr")}


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _text(**kwargs: object) -> str:
    sandbox = Sandbox()
    sandbox.port = 8765
    return banner(sandbox, Path("/tmp/x"), SystemClock(), kept=False, **kwargs)  # type: ignore[arg-type]


def test_the_banner_goes_to_stderr_when_stdout_is_not_a_terminal() -> None:
    stdout, stderr = io.StringIO(), io.StringIO()

    print_banner("hello", stdout, stderr)

    assert (stdout.getvalue(), stderr.getvalue()) == ("", "hello\n")


def test_the_banner_goes_to_stdout_on_a_terminal() -> None:
    stdout, stderr = _Terminal(), io.StringIO()

    print_banner("hello", stdout, stderr)

    assert (stdout.getvalue(), stderr.getvalue()) == ("hello\n", "")


def test_the_banner_names_every_user_with_their_language_and_the_ports() -> None:
    text = _text()

    for name, _, _, _ in SEED_USERS:
        language = "French" if name in FRENCH else "English"
        assert f"{name} (" in text, name
        assert language in text.split(f"{name} (", 1)[1].split(")", 1)[0], name
    assert "http://127.0.0.1:8765/_sandbox/" in text
    assert "web" in text


def test_the_banner_shows_the_web_port_when_there_is_one() -> None:
    assert "http://127.0.0.1:8766/" in _text(web_port=8766)


def test_the_banner_has_the_three_worked_examples() -> None:
    text = _text()

    assert '"/dropin next"' in text  # a command
    assert "click alex <message id>" in text and "show question-review" in text  # the question round trip
    assert "--start-at" in text  # time travel


@pytest.mark.parametrize("document", ["README.md", "docs/sandbox.md"])
def test_the_documents_name_every_user_and_who_reads_french(document: str) -> None:
    text = (ROOT / document).read_text(encoding="utf-8")

    for name, _, _, _ in SEED_USERS:
        assert f"`{name}`" in text, name
    for name in FRENCH:
        assert any(f"`{name}`" in line and "French" in line for line in text.splitlines()), name
    assert "Drop-in notify" in text
