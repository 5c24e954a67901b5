"""`./bin/sandbox-say`: talk to the bot in a running sandbox as one of its members, and read the answer
as text (content, embed titles and fields, buttons by label), not JSON. docs/sandbox.md has examples.

    sandbox-say USER "/dropin skip date:2026-12-24 reason:Holiday"   a command, options as name:value
    sandbox-say USER "How do I get naloxone?"                         a DM to the bot (no leading /)
    sandbox-say click USER MESSAGE "Submit"                           press a button (label or custom_id)
    sandbox-say select USER MESSAGE "Choose a group" VALUE [VALUE…]    pick from a select menu
    sandbox-say fill USER INTERACTION "Label=text" [...]               submit the modal it opened
    sandbox-say show CHANNEL | show dm:USER                           the messages there
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from typing import Any

from sandbox.brief import Names, names_of_guild, render_messages, render_outcome

DEFAULT_URL = "http://127.0.0.1:8765"
VERBS = ("click", "select", "fill", "show")
OPTION = re.compile(r"^([a-z0-9_-]{1,32}):(.*)$", re.DOTALL)
DM_WAIT = 10.0  # seconds to wait for the bot's answer to a DM
DM_QUIET = 0.7  # the answer is complete once nothing new arrived for this long


class SayError(Exception):
    """A refused request or an unreachable sandbox: printed as one line."""


def parse_command(text: str) -> tuple[str, dict[str, str]]:
    """`/dropin skip date:2026-12-24 reason:Happy holidays` → ("dropin skip", {date: …, reason: …}).
    Words before the first `name:` are the command; a value runs until the next `name:`."""
    words = text.strip().removeprefix("/").split()
    path: list[str] = []
    options: dict[str, str] = {}
    current: str | None = None
    for word in words:
        match = OPTION.match(word)
        if match and not match[2].startswith("//"):
            current = match[1]
            options[current] = match[2]
        elif current is None:
            path.append(word)
        else:
            options[current] = f"{options[current]} {word}".strip()
    if not path:
        raise SayError(f'no command in {text!r}; write it as you would in Discord, e.g. "/dropin next"')
    return " ".join(path), options


def parse_fields(pairs: Sequence[str]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise SayError(f"{pair!r} is not field=value (use the input's label or custom_id as the field)")
        values[name.strip()] = value
    return values


class Control:
    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")

    def names(self) -> Names:
        """#channel, @user and @role names for the mentions in what the bot says."""
        return names_of_guild(self.call("GET", "/_sandbox/guild"))

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            try:
                detail = json.loads(exc.read()).get("error")
            except ValueError:
                detail = exc.reason
            raise SayError(f"the sandbox refused: {detail}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise SayError(
                f"no sandbox at {self.base} ({getattr(exc, 'reason', exc)}); start one with ./bin/sandbox "
                "or pass --url"
            ) from None


def _show(control: Control, where: str) -> str:
    if where.startswith("dm:"):
        return render_messages(control.call("GET", f"/_sandbox/dms/{where[3:]}"), control.names())
    path = f"/_sandbox/channels/{where.lstrip('#')}/messages"
    return render_messages(control.call("GET", path), control.names())


def _dm(control: Control, user: str, text: str) -> str:
    sent = control.call("POST", "/_sandbox/messages", {"user": user, "channel": "dm", "content": text})
    mine = int(sent["id"])
    deadline = time.monotonic() + DM_WAIT
    answers: list[Any] = []
    settled_at = time.monotonic()
    while time.monotonic() < deadline:
        now = [m for m in control.call("GET", f"/_sandbox/dms/{user}") if int(m["id"]) > mine]
        if len(now) != len(answers):
            answers, settled_at = now, time.monotonic()
        elif answers and time.monotonic() - settled_at >= DM_QUIET:
            break
        time.sleep(0.1)
    if not answers:
        return f"sent (message {mine}); the bot has not answered within {DM_WAIT:.0f} s"
    return f"sent (message {mine}); the bot answered:\n" + render_messages(answers, control.names())


def run(argv: Sequence[str], base: str) -> str:
    control = Control(base)
    body: dict[str, Any]
    if not argv:
        raise SayError("nothing to say; see --help")
    verb, rest = argv[0], list(argv[1:])
    if verb == "show":
        if len(rest) != 1:
            raise SayError("show takes one channel name, or dm:USER")
        return _show(control, rest[0])
    if verb == "click":
        if len(rest) != 3:
            raise SayError('click takes USER MESSAGE LABEL, e.g. click alex 1234567890123456789 "Submit"')
        user, message, label = rest
        key = "custom_id" if ":" in label else "label"
        body = {"user": user, "message_id": message, key: label}
        return render_outcome(control.call("POST", "/_sandbox/interactions/component", body), control.names())
    if verb == "select":
        if len(rest) < 4:
            raise SayError("select takes USER MESSAGE SELECT VALUE [VALUE…]")
        user, message, select, *values = rest
        key = "custom_id" if ":" in select else "label"
        body = {"user": user, "message_id": message, key: select, "values": values}
        return render_outcome(control.call("POST", "/_sandbox/interactions/component", body), control.names())
    if verb == "fill":
        if len(rest) < 2:
            raise SayError('fill takes USER INTERACTION "Label=text" […]')
        user, interaction, *pairs = rest
        body = {"user": user, "interaction_id": interaction, "values": parse_fields(pairs)}
        return render_outcome(control.call("POST", "/_sandbox/interactions/modal", body), control.names())
    if len(rest) != 1:
        raise SayError('give USER and one quoted text, e.g. alex "/about" or alex "a question by DM"')
    user, text = verb, rest[0]
    if not text.startswith("/"):
        return _dm(control, user, text)
    command, options = parse_command(text)
    body = {"user": user, "command": command, "options": options}
    return render_outcome(control.call("POST", "/_sandbox/interactions/command", body), control.names())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="sandbox-say",
        description="Talk to the bot in a running sandbox as a member; prints its answer as text.",
        epilog=__doc__.split("\n\n", 1)[1] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--url",
        default=os.environ.get("NSSCOP_SANDBOX_URL", DEFAULT_URL),
        help=f"the sandbox (default $NSSCOP_SANDBOX_URL or {DEFAULT_URL})",
    )
    parser.add_argument("words", nargs=argparse.REMAINDER, help="what to do (see below)")
    args = parser.parse_args(argv)
    try:
        print(run(args.words, args.url))
    except SayError as exc:
        print(f"sandbox-say: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
