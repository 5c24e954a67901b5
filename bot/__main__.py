"""Command line: `python -m bot` (also installed as `nsscop-bot`)."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import traceback
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bot.config import ENV_TOKEN, Config, ConfigError, load_config, summary
from bot.failures import EXIT_CONFIG, EXIT_UNEXPECTED, RunFailure
from bot.preflight import preflight

NO_TOKEN_HELP = f"""{ENV_TOKEN} is not set, so the bot cannot log in to Discord.
To get a token: open https://discord.com/developers/applications, create an application,
then Bot → Reset Token; enable the Server Members intent there; then
    export {ENV_TOKEN}=<the token>
To try the bot without Discord, run the built-in sandbox instead:
    python -m bot sandbox"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="nsscop-bot: the NSS-CoP Discord bot.")
    parser.add_argument("--debug", action="store_true", help="print the full traceback of a failure")
    debug = argparse.ArgumentParser(add_help=False)
    debug.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_with(debug))
    run = commands.add_parser("run", help="run the bot against Discord (needs NSSCOP_DISCORD_TOKEN)")
    _config_option(run)
    sandbox = commands.add_parser("sandbox", help="run the bot in a local Discord sandbox (no token needed)")
    sandbox.add_argument("--port", type=int, default=8765, help="port for the sandbox (default 8765)")
    sandbox.add_argument(
        "--web-port",
        type=int,
        default=8766,
        help="port for the bot's web server: Zoom webhooks, calendar, page, health (default 8766)",
    )
    sandbox.add_argument(
        "--question-delay",
        type=_delay,
        help="seconds before a question reaches reviewers: N, or MIN-MAX, 0 to skip "
        "(default: the production random 60-300 s)",
    )
    sandbox.add_argument(
        "--data-dir", type=Path, help="keep data here (default: a fresh temporary directory)"
    )
    sandbox.add_argument(
        "--start-at",
        type=_instant,
        help="start the bot's clock at this ISO 8601 instant, e.g. 2026-12-03T16:58:00Z",
    )
    check = commands.add_parser("check-config", help="validate a configuration file and print a summary")
    check.add_argument("file", nargs="?", type=Path, help="the TOML file (default: config.toml if present)")
    database = commands.add_parser("db", help="database maintenance")
    db_commands = database.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    _config_option(db_commands.add_parser("upgrade", help="apply database migrations"))
    sync = commands.add_parser(
        "sync", help="sync slash commands globally (all servers; may take up to an hour)"
    )
    _config_option(sync)
    schedule = commands.add_parser(
        "schedule", help="print the coming drop-ins (config schedule + DB exceptions)"
    )
    _config_option(schedule)
    schedule.add_argument(
        "--from", dest="start", type=_day, help="first day to list, YYYY-MM-DD (default: now)"
    )
    schedule.add_argument("--count", type=_count, default=8, help="how many occurrences (default 8)")
    schedule.add_argument(
        "--json", action="store_true", help="print JSON (start_utc, start_local, skipped, …)"
    )
    schedule.add_argument(
        "--guild", type=int, help="whose exceptions to apply (default: the configured guild)"
    )
    commands.add_parser("gen-keys", help="print fresh keys for NSSCOP_PSEUDONYM_KEY and NSSCOP_RELAY_KEY")
    zoom = commands.add_parser("zoom", help="Zoom: check the meeting against the drop-in schedule")
    zoom_commands = zoom.add_subparsers(dest="zoom_command", metavar="ACTION", required=True)
    zoom_check = zoom_commands.add_parser(
        "check", help="fetch the meeting (Server-to-Server OAuth) and compare day, time and join link"
    )
    _config_option(zoom_check)
    zoom_check.add_argument(
        "--guild", type=int, help="whose saved schedule to compare (default: the only one)"
    )
    invite = commands.add_parser("invite-url", help="print the link that adds the bot to a server")
    invite.add_argument(
        "client_id",
        type=_application_id,
        help="the application's id (Developer Portal → General Information → Application ID)",
    )
    return parser


def _with(*parents: argparse.ArgumentParser) -> type[argparse.ArgumentParser]:
    """Subcommand parsers that also take the shared options (`python -m bot run --debug`)."""

    class Sub(argparse.ArgumentParser):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**{**kwargs, "parents": [*kwargs.get("parents", []), *parents]})

    return Sub


def _config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, help="the TOML file (default: config.toml if present)")


def _instant(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not an ISO 8601 instant: {text!r} (e.g. 2026-12-03T16:58:00Z)"
        ) from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r} has no time zone; add Z or an offset such as -05:00")
    return moment


def _delay(text: str) -> tuple[int, int]:
    low, _, high = text.partition("-")
    if (
        not low.isdigit()
        or (high and not high.isdigit())
        or int(high or low) < int(low)
        or int(high or low) > 3600
    ):
        raise argparse.ArgumentTypeError(f"not a delay in seconds: {text!r} (use N or MIN-MAX, up to 3600)")
    return int(low), int(high or low)


def _application_id(text: str) -> int:
    if not (text.isdigit() and 17 <= len(text) <= 20 and int(text) < 2**64):
        raise argparse.ArgumentTypeError(
            f"not an application id: {text!r}. Expected 17 to 20 digits, copied from the Developer Portal "
            "(your application → General Information → Application ID)"
        )
    return int(text)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (use YYYY-MM-DD, e.g. 2026-12-03)") from None


def _count(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 520:
        raise argparse.ArgumentTypeError(f"not a count between 1 and 520: {text!r}")
    return int(text)


def _load(path: Path | None) -> Config:
    if path is None and Path("config.toml").exists():
        path = Path("config.toml")
    return load_config(path, os.environ)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command is None:
        _parser().print_help()
        return 0
    try:
        return _dispatch(args)
    except ConfigError as exc:
        print("Configuration problem:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        return EXIT_CONFIG
    except RunFailure as exc:
        if args.debug:
            traceback.print_exception(exc, file=sys.stderr)
        print(exc.line, file=sys.stderr)
        return exc.status
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # one line; the message may hold user text, so only type and place
        if args.debug:
            traceback.print_exception(exc, file=sys.stderr)
            return EXIT_UNEXPECTED
        from bot.logs import exception_summary

        print(
            f"Unexpected error: {exception_summary(exc)}. Run again with --debug for the traceback.",
            file=sys.stderr,
        )
        return EXIT_UNEXPECTED


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "gen-keys":
        from bot.services.privacy import generate_keys

        pseudonym_key, relay_key = generate_keys()
        print(f"export NSSCOP_PSEUDONYM_KEY='{pseudonym_key}'")
        print(f"export NSSCOP_RELAY_KEY='{relay_key}'")
        print(
            "# Keep both secret and backed up. Changing the pseudonym key unlinks every asker;",
            file=sys.stderr,
        )
        print("# losing the relay key means answers can no longer be sent to askers by DM.", file=sys.stderr)
        return 0
    if args.command == "invite-url":
        from bot.discord_bot import invite_url

        print(invite_url(args.client_id))
        return 0
    from bot.logs import configure_logging

    if args.command == "sandbox":
        configure_logging(os.environ.get("NSSCOP_LOG_LEVEL", "INFO"))
        from bot.sandbox_mode import run_sandbox

        return asyncio.run(
            run_sandbox(args.port, args.data_dir, args.start_at, args.question_delay, args.web_port)
        )
    config = _load(args.file if args.command == "check-config" else args.config)
    configure_logging(config.bot.log_level)
    warnings = preflight(config)  # the same checks for every command: check-config == run == schedule
    if args.command == "check-config":
        print("Configuration is valid.")
        print("\n".join(summary(config)))
        for warning in warnings:
            print(f"warning: {warning}", file=sys.stderr)
        return 0
    if args.command == "schedule":
        from bot.schedule_cli import print_schedule

        return asyncio.run(print_schedule(config, args.start, args.count, args.json, args.guild))
    if args.command == "zoom":
        from bot.zoom_cli import zoom_check

        return asyncio.run(zoom_check(config, args.guild))
    if args.command == "db":
        from bot.runner import upgrade_database

        return asyncio.run(upgrade_database(config))
    if config.secrets.discord_token is None:
        print(NO_TOKEN_HELP, file=sys.stderr)
        return EXIT_CONFIG
    from bot.runner import run_bot, sync_global

    if args.command == "sync":
        return asyncio.run(sync_global(config))
    return asyncio.run(run_bot(config))


if __name__ == "__main__":
    sys.exit(main())
