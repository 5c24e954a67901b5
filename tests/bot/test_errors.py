"""bot/errors.py: what a user typed is quoted back short, on one line, without invisible controls."""

from __future__ import annotations

import pytest

from bot.errors import QUOTE_MAX, UserError, quoted


def test_long_input_is_cut_with_an_ellipsis() -> None:
    cut = quoted("a" * 5000)

    assert len(cut) == QUOTE_MAX
    assert cut.endswith("…")


def test_short_input_is_kept() -> None:
    assert quoted("Peer Support") == "Peer Support"


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("two\nlines", "two lines"),
        ("tab\there", "tab here"),
        ("bell\x07", "bell"),
        ("  padded  ", "  padded  "),
        ("rtl \u202eevil", "rtl evil"),
        ("zero\u200bwidth", "zerowidth"),
    ],
)
def test_controls_and_direction_overrides_are_dropped(typed: str, shown: str) -> None:
    assert quoted(typed) == shown


def test_user_error_quotes_its_string_params_and_keeps_the_others() -> None:
    error = UserError("x", value="b" * 3000, count=3000)

    assert len(error.params["value"]) == QUOTE_MAX
    assert error.params["count"] == 3000
