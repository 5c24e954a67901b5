"""bot/logs.py: log lines name error types and places, never the text people wrote."""

from __future__ import annotations

from bot.errors import UserError
from bot.logs import exception_summary


def _fail_with(message: str) -> None:
    raise ValueError(message)


def _caught(func, *args) -> BaseException:  # type: ignore[no-untyped-def]
    try:
        func(*args)
    except BaseException as exc:
        return exc
    raise AssertionError("expected an exception")


def test_summary_names_the_type_and_place_but_not_the_message() -> None:
    summary = exception_summary(_caught(_fail_with, "secret user text"))

    assert summary.startswith("ValueError at ")
    assert "_fail_with" in summary
    assert "secret user text" not in summary


def _fail_while_handling(message: str) -> None:
    lookup: dict[str, int] = {}
    try:
        lookup["secret key text"]
    except KeyError as exc:
        raise RuntimeError(message) from exc


def test_summary_names_the_cause_type_without_either_message() -> None:
    summary = exception_summary(_caught(_fail_while_handling, "secret user text"))

    assert "RuntimeError (caused by KeyError)" in summary
    assert "secret user text" not in summary
    assert "secret key text" not in summary


def test_summary_of_an_exception_never_raised_has_no_place() -> None:
    assert exception_summary(ValueError("secret user text")) == "ValueError at unknown"


def test_user_error_repr_omits_its_params() -> None:
    assert repr(UserError("error.bad_option", option="secret user text")) == "UserError('error.bad_option')"
