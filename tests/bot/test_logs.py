"""bot/logs.py: log lines name error types and places, never the text people wrote."""

from __future__ import annotations

import logging

import pytest

from bot.errors import UserError
from bot.logs import exception_summary, install_withholding


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


# --- every library logger withholds values, at any level ------------------------------------------


@pytest.fixture
def withholding(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    install_withholding()
    caplog.set_level(logging.DEBUG)
    return caplog


@pytest.mark.parametrize(
    "name",
    ["aiosqlite", "sqlalchemy.engine.Engine", "asyncpg.pool", "discord.gateway", "discord.http", "root"],
)
def test_a_library_debug_line_keeps_its_wording_but_not_its_values(
    withholding: pytest.LogCaptureFixture, name: str
) -> None:
    logger = logging.getLogger(None if name == "root" else name)
    logger.setLevel(logging.DEBUG)
    try:
        logger.debug("executing %s with %r (%d rows)", "SELECT secret user text", ("alias-1234",), 3)
    finally:
        logger.setLevel(logging.NOTSET)

    (record,) = [r for r in withholding.records if r.name == name]
    assert record.getMessage() == "executing … with … (… rows)"


def test_a_library_warning_keeps_numbers_and_words_but_blanks_ids(
    withholding: pytest.LogCaptureFixture,
) -> None:
    logging.getLogger("discord.client").warning("%d retries for channel %s", 3, "1234567890123456789")

    assert withholding.records[-1].getMessage() == "3 retries for channel …"


def test_a_library_exception_is_reduced_to_its_type_and_place(withholding: pytest.LogCaptureFixture) -> None:
    try:
        raise ValueError("secret user text")
    except ValueError:
        logging.getLogger("asyncio").exception("Task exception was never retrieved")

    record = withholding.records[-1]
    assert record.exc_info is None
    assert "secret user text" not in logging.Formatter().format(record)
    assert "ValueError at " in record.getMessage()


def test_a_library_message_that_is_not_text_is_withheld(withholding: pytest.LogCaptureFixture) -> None:
    logging.getLogger("discord.gateway").debug({"content": "secret user text"})

    assert "secret user text" not in withholding.records[-1].getMessage()


def test_our_own_loggers_keep_their_values(withholding: pytest.LogCaptureFixture) -> None:
    logging.getLogger("bot.services.question_review").info("delivery postponed: %s", "no review channel")

    assert withholding.records[-1].getMessage() == "delivery postponed: no review channel"


def test_installing_twice_wraps_once() -> None:
    install_withholding()
    factory = logging.getLogRecordFactory()
    install_withholding()
    assert logging.getLogRecordFactory() is factory
