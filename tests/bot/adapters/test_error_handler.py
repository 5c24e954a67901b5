"""bot/adapters/error_handler.py: every failure becomes a localized answer, never a traceback."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, cast

import discord
import pytest
from discord import app_commands

from bot.adapters.checks import GuildOnly, NotFacilitator
from bot.adapters.error_handler import message_for, report_error
from bot.domain.refs import ChannelRef, PermissionNames
from bot.domain.settings import ChannelPurpose
from bot.errors import UserError
from bot.i18n import default_catalog


@dataclass
class FakeResponse:
    """What discord.HTTPException reads from an aiohttp response."""

    status: int
    reason: str


@dataclass
class FakeInteractionResponse:
    sent: list[str] = field(default_factory=list)

    def is_done(self) -> bool:
        return False

    async def send_message(self, content: str, **_: Any) -> None:
        self.sent.append(content)


@dataclass
class FakeInteraction:
    """The attributes message_for and report_error read from a discord.Interaction."""

    locale: discord.Locale
    namespace: list[tuple[str, Any]] = field(default_factory=list)
    command: Any = None
    type: discord.InteractionType = discord.InteractionType.application_command
    response: FakeInteractionResponse = field(default_factory=FakeInteractionResponse)


LOCALES = [
    pytest.param(discord.Locale.american_english, "en", id="en"),
    pytest.param(discord.Locale.french, "fr", id="fr"),
]


def interaction(locale: discord.Locale, **kwargs: Any) -> discord.Interaction:
    return cast(discord.Interaction, FakeInteraction(locale, **kwargs))


class WhenTransformer(app_commands.Transformer):
    async def transform(self, interaction: discord.Interaction, value: Any) -> Any:
        raise ValueError(value)


@pytest.mark.parametrize(("locale", "lang"), LOCALES)
def test_user_error_renders_its_params_in_the_callers_language(locale: discord.Locale, lang: str) -> None:
    error = UserError(
        "error.missing_channel_permissions",
        channel=ChannelRef(555566667777888899),
        purpose=ChannelPurpose.QUESTIONS,
        permissions=PermissionNames(("create_public_threads",)),
    )

    text, unexpected = message_for(default_catalog(), interaction(locale), error)

    catalog = default_catalog()
    assert text == catalog.t(
        lang,  # type: ignore[arg-type]
        "error.missing_channel_permissions",
        channel="<#555566667777888899>",
        purpose=catalog.t(lang, "purpose.channel.questions"),  # type: ignore[arg-type]
        permissions=catalog.t(lang, "permission.create_public_threads"),  # type: ignore[arg-type]
    )
    assert unexpected is False


def test_user_error_wrapped_in_command_invoke_error_is_unwrapped() -> None:
    wrapped = app_commands.CommandInvokeError(SimpleNamespace(name="x"), UserError("error.guild_only"))  # type: ignore[arg-type]

    text, unexpected = message_for(default_catalog(), interaction(discord.Locale.french), wrapped)

    assert text == default_catalog().t("fr", "error.guild_only")
    assert unexpected is False


@pytest.mark.parametrize(("locale", "lang"), LOCALES)
@pytest.mark.parametrize(
    ("error", "key", "expected_unexpected"),
    [
        pytest.param(NotFacilitator(), "error.not_facilitator", False, id="not-facilitator"),
        pytest.param(GuildOnly(), "error.guild_only", False, id="guild-only"),
        pytest.param(app_commands.NoPrivateMessage(), "error.guild_only", False, id="no-private-message"),
        pytest.param(
            discord.DiscordServerError(FakeResponse(503, "Service Unavailable"), ""),
            "error.discord_unavailable",
            False,
            id="discord-5xx",
        ),
        pytest.param(
            discord.Forbidden(
                FakeResponse(403, "Forbidden"), {"code": 50013, "message": "Missing Permissions"}
            ),
            "error.bot_missing_permission",
            True,
            id="forbidden",
        ),
        pytest.param(
            discord.HTTPException(FakeResponse(429, "Too Many Requests"), "You are being rate limited."),
            "error.rate_limited",
            False,
            id="http-429",
        ),
        pytest.param(RuntimeError("boom"), "error.generic", True, id="unexpected"),
        pytest.param(
            discord.HTTPException(FakeResponse(400, "Bad Request"), "Invalid Form Body"),
            "error.generic",
            True,
            id="other-http-error",
        ),
    ],
)
def test_failure_maps_to_its_message(
    locale: discord.Locale, lang: str, error: BaseException, key: str, expected_unexpected: bool
) -> None:
    text, unexpected = message_for(default_catalog(), interaction(locale), error)

    assert text == default_catalog().t(lang, key)  # type: ignore[arg-type]
    assert unexpected is expected_unexpected


def test_rate_limited_beyond_the_bots_timeout_maps_to_rate_limited() -> None:
    text, unexpected = message_for(
        default_catalog(), interaction(discord.Locale.american_english), discord.RateLimited(120.0)
    )

    assert text == default_catalog().t("en", "error.rate_limited")
    assert unexpected is False


@pytest.mark.parametrize(("locale", "lang"), LOCALES)
def test_transformer_error_names_the_option(locale: discord.Locale, lang: str) -> None:
    bad_value = "next blursday"
    error = app_commands.TransformerError(bad_value, discord.AppCommandOptionType.string, WhenTransformer())

    text, unexpected = message_for(
        default_catalog(), interaction(locale, namespace=[("channel", 1), ("when", bad_value)]), error
    )

    assert text == default_catalog().t(lang, "error.bad_option", option="when")  # type: ignore[arg-type]
    assert unexpected is False


async def test_unexpected_error_is_answered_generically_and_logged_without_its_message(
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake = FakeInteraction(discord.Locale.french)
    try:
        raise RuntimeError("secret user text")
    except RuntimeError as exc:
        error = exc

    with caplog.at_level(logging.INFO, logger="bot.adapters.error_handler"):
        await report_error(default_catalog(), cast(discord.Interaction, fake), error)

    assert fake.response.sent == [default_catalog().t("fr", "error.generic")]
    assert "RuntimeError" in caplog.text
    assert "secret user text" not in caplog.text


async def test_user_error_params_stay_out_of_the_log(caplog: pytest.LogCaptureFixture) -> None:
    fake = FakeInteraction(discord.Locale.american_english)
    error = UserError("error.bad_option", option="secret user text")

    with caplog.at_level(logging.INFO, logger="bot.adapters.error_handler"):
        await report_error(default_catalog(), cast(discord.Interaction, fake), error)

    assert fake.response.sent == [default_catalog().t("en", "error.bad_option", option="secret user text")]
    assert "error.bad_option" in caplog.text
    assert "secret user text" not in caplog.text


@dataclass
class RefusingResponse(FakeInteractionResponse):
    """Discord refuses the first answer (e.g. 50035 Invalid Form Body), accepts the next."""

    refusals: int = 1

    async def send_message(self, content: str, **_: Any) -> None:
        if self.refusals:
            self.refusals -= 1
            raise discord.HTTPException(
                cast(Any, FakeResponse(400, "Bad Request")), {"code": 50035, "message": "x"}
            )
        self.sent.append(content)


async def test_a_refused_answer_is_replaced_by_the_generic_one_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake = FakeInteraction(discord.Locale.american_english, response=RefusingResponse())

    with caplog.at_level(logging.INFO, logger="bot.adapters.error_handler"):
        await report_error(
            default_catalog(), cast(discord.Interaction, fake), UserError("dropin.error.bad_time", value="x")
        )

    assert fake.response.sent == [default_catalog().t("en", "error.generic")]
    assert "could not deliver the answer" in caplog.text
    assert "50035" in caplog.text


async def test_an_answer_quoting_huge_input_fits_in_one_discord_message() -> None:
    fake = FakeInteraction(discord.Locale.french)

    await report_error(
        default_catalog(),
        cast(discord.Interaction, fake),
        UserError("dropin.error.bad_time", value="9" * 5000),
    )

    assert len(fake.response.sent) == 1
    assert len(fake.response.sent[0]) <= 2000
