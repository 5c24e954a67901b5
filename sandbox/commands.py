"""Application-command sync: Discord's validation rules and the stored, answered command objects."""

from __future__ import annotations

import re
from typing import Any

import discord

from sandbox.errors import FieldError
from sandbox.model import JSON, World

NAME_RE = re.compile(r"^[-_'\w]{1,32}$")
VALID_LOCALES = frozenset(locale.value for locale in discord.Locale)
MAX_COMMANDS = 100
MAX_OPTIONS = 25


def _check_name(errors: list[FieldError], path: str, name: Any, chat_input: bool) -> None:
    if not isinstance(name, str) or not (NAME_RE.match(name) if chat_input else 1 <= len(name) <= 32):
        errors.append(
            FieldError(path, "APPLICATION_COMMAND_INVALID_NAME", f"Command name is invalid: {name!r}")
        )
    elif chat_input and name != name.lower():
        errors.append(
            FieldError(path, "APPLICATION_COMMAND_INVALID_NAME", f"Command name must be lowercase: {name!r}")
        )


def _check_description(errors: list[FieldError], path: str, text: Any, required: bool) -> None:
    if text is None or text == "":
        if required:
            errors.append(FieldError(path, "BASE_TYPE_REQUIRED", "This field is required"))
        return
    if not isinstance(text, str) or not 1 <= len(text) <= 100:
        errors.append(FieldError(path, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."))


def _check_localizations(
    errors: list[FieldError], path: str, values: Any, kind: str, chat_input: bool
) -> None:
    if values is None:
        return
    if not isinstance(values, dict):
        errors.append(FieldError(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType"))
        return
    for locale, text in values.items():
        if locale not in VALID_LOCALES:
            errors.append(FieldError(f"{path}.{locale}", "BASE_TYPE_CHOICES", f"Invalid locale {locale!r}."))
        elif kind == "name":
            _check_name(errors, f"{path}.{locale}", text, chat_input)
        else:
            _check_description(errors, f"{path}.{locale}", text, True)


def _check_options(errors: list[FieldError], path: str, options: Any, depth: int) -> None:
    if options is None:
        return
    if not isinstance(options, list) or len(options) > MAX_OPTIONS:
        errors.append(FieldError(path, "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_OPTIONS} or fewer in length."))
        return
    seen_optional = False
    names: set[str] = set()
    for index, option in enumerate(options):
        where = f"{path}.{index}"
        if not isinstance(option, dict):
            continue
        kind = option.get("type")
        _check_name(errors, f"{where}.name", option.get("name"), True)
        _check_description(errors, f"{where}.description", option.get("description"), True)
        _check_localizations(
            errors, f"{where}.name_localizations", option.get("name_localizations"), "name", True
        )
        _check_localizations(
            errors,
            f"{where}.description_localizations",
            option.get("description_localizations"),
            "description",
            True,
        )
        if option.get("name") in names:
            errors.append(
                FieldError(
                    f"{where}.name",
                    "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
                    "Option names must be unique",
                )
            )
        names.add(str(option.get("name")))
        if kind in (1, 2):
            if depth >= (2 if kind == 1 else 1):
                errors.append(
                    FieldError(
                        f"{where}.type",
                        "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                        "Sub-command nesting is too deep",
                    )
                )
            _check_options(errors, f"{where}.options", option.get("options"), depth + 1)
            continue
        if option.get("required"):
            if seen_optional:
                errors.append(
                    FieldError(
                        f"{where}.required",
                        "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                        "Required options must be placed before non-required options",
                    )
                )
        else:
            seen_optional = True
        choices = option.get("choices") or []
        if len(choices) > 25:
            errors.append(
                FieldError(f"{where}.choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
            )


def check_commands(body: Any) -> list[FieldError]:
    if not isinstance(body, list):
        return [FieldError("", "LIST_TYPE_CONVERT", "Must be an array.")]
    errors: list[FieldError] = []
    if len(body) > MAX_COMMANDS:
        errors.append(FieldError("", "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_COMMANDS} or fewer in length."))
    seen: set[tuple[int, str]] = set()
    for index, command in enumerate(body):
        if not isinstance(command, dict):
            errors.append(
                FieldError(str(index), "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
            )
            continue
        kind = int(command.get("type") or 1)
        chat_input = kind == 1
        _check_name(errors, f"{index}.name", command.get("name"), chat_input)
        _check_description(errors, f"{index}.description", command.get("description"), chat_input)
        _check_localizations(
            errors, f"{index}.name_localizations", command.get("name_localizations"), "name", chat_input
        )
        _check_localizations(
            errors,
            f"{index}.description_localizations",
            command.get("description_localizations"),
            "description",
            chat_input,
        )
        _check_options(errors, f"{index}.options", command.get("options"), 0)
        key = (kind, str(command.get("name")))
        if key in seen:
            errors.append(
                FieldError(
                    f"{index}.name",
                    "APPLICATION_COMMANDS_DUPLICATE_NAME",
                    f"Application command names must be unique: {key[1]!r}",
                )
            )
        seen.add(key)
    return errors


def store_commands(world: World, body: list[JSON], guild_id: int | None) -> list[JSON]:
    existing = world.guild_commands if guild_id is not None else world.global_commands
    ids = {(int(c.get("type", 1)), c["name"]): c["id"] for c in existing}
    stored: list[JSON] = []
    for command in body:
        kind = int(command.get("type") or 1)
        item: JSON = {
            "name_localizations": None,
            "description_localizations": None,
            "default_member_permissions": None,
            "nsfw": False,
            "contexts": None,
            "integration_types": [0],
            "options": [],
            **command,
        }
        item.update(
            id=ids.get((kind, command["name"])) or str(world.ids.next()),
            application_id=str(world.application_id),
            version=str(world.ids.next()),
            type=kind,
            description=command.get("description") or "",
        )
        if guild_id is not None:
            item["guild_id"] = str(guild_id)
        stored.append(item)
    if guild_id is not None:
        world.guild_commands = stored
    else:
        world.global_commands = stored
    world.commands_synced = True
    return stored
