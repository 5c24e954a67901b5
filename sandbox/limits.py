"""Discord's documented limits for message, component and modal bodies (facts §4).

Each check returns FieldErrors with dotted paths; the caller turns them into a 50035 reply.
"""

from __future__ import annotations

from typing import Any

from sandbox.errors import FieldError

CONTENT_MAX = 2000
EMBEDS_MAX = 10
EMBEDS_TOTAL_MAX = 6000
EMBED_FIELD_LIMITS = {"title": 256, "description": 4096}
BUTTONS_PER_ROW = 5
ACTION_ROWS_MAX = 5
MODAL_COMPONENTS_MAX = 5
TEXT_INPUT_MAX = 4000


def _too_long(path: str, limit: int) -> FieldError:
    return FieldError(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")


def _check_length(errors: list[FieldError], path: str, value: Any, limit: int, minimum: int = 0) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        errors.append(FieldError(path, "STRING_TYPE_CONVERT", "Could not interpret value as string."))
    elif len(value) > limit:
        errors.append(_too_long(path, limit))
    elif len(value) < minimum:
        errors.append(
            FieldError(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {minimum} and {limit} in length.")
        )


def check_message_body(body: dict[str, Any]) -> list[FieldError]:
    errors: list[FieldError] = []
    _check_length(errors, "content", body.get("content"), CONTENT_MAX)
    _check_length(errors, "nonce", body.get("nonce") if isinstance(body.get("nonce"), str) else None, 25)
    embeds = body.get("embeds") or []
    if not isinstance(embeds, list):
        errors.append(FieldError("embeds", "LIST_TYPE_CONVERT", "Must be an array."))
        embeds = []
    if len(embeds) > EMBEDS_MAX:
        errors.append(
            FieldError("embeds", "BASE_TYPE_MAX_LENGTH", f"Must be {EMBEDS_MAX} or fewer in length.")
        )
    total = 0
    for index, embed in enumerate(embeds):
        if isinstance(embed, dict):
            total += _check_embed(errors, f"embeds.{index}", embed)
    if total > EMBEDS_TOTAL_MAX:
        errors.append(
            FieldError("embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")
        )
    components = body.get("components")
    flags = body.get("flags") or 0
    if isinstance(components, list) and not (isinstance(flags, int) and flags & (1 << 15)):
        errors.extend(check_message_components(components))
    errors.extend(check_allowed_mentions(body.get("allowed_mentions")))
    return errors


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _check_embed(errors: list[FieldError], path: str, embed: dict[str, Any]) -> int:
    total = 0
    for key, limit in EMBED_FIELD_LIMITS.items():
        _check_length(errors, f"{path}.{key}", embed.get(key), limit)
        total += len(_text(embed.get(key)))
    footer = embed.get("footer") or {}
    author = embed.get("author") or {}
    if isinstance(footer, dict):
        _check_length(errors, f"{path}.footer.text", footer.get("text"), 2048)
        total += len(_text(footer.get("text")))
    if isinstance(author, dict):
        _check_length(errors, f"{path}.author.name", author.get("name"), 256)
        total += len(_text(author.get("name")))
    fields = embed.get("fields") or []
    if isinstance(fields, list):
        if len(fields) > 25:
            errors.append(
                FieldError(f"{path}.fields", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
            )
        for index, item in enumerate(fields):
            if not isinstance(item, dict):
                continue
            _check_length(errors, f"{path}.fields.{index}.name", item.get("name"), 256)
            _check_length(errors, f"{path}.fields.{index}.value", item.get("value"), 1024)
            for key in ("name", "value"):
                if not _text(item.get(key)):
                    errors.append(
                        FieldError(
                            f"{path}.fields.{index}.{key}", "BASE_TYPE_REQUIRED", "This field is required"
                        )
                    )
            total += len(_text(item.get("name"))) + len(_text(item.get("value")))
    return total


def check_message_components(components: list[Any]) -> list[FieldError]:
    errors: list[FieldError] = []
    if len(components) > ACTION_ROWS_MAX:
        errors.append(
            FieldError("components", "BASE_TYPE_MAX_LENGTH", f"Must be {ACTION_ROWS_MAX} or fewer in length.")
        )
    seen: set[str] = set()
    for r, row in enumerate(components):
        path = f"components.{r}"
        if not isinstance(row, dict) or row.get("type") != 1:
            errors.append(
                FieldError(
                    f"{path}.type",
                    "COMPONENT_LAYOUT_WIDTH_EXCEEDED" if isinstance(row, dict) else "MODEL_TYPE_CONVERT",
                    "Top-level components must be action rows.",
                )
            )
            continue
        children = row.get("components") or []
        if not children:
            errors.append(
                FieldError(f"{path}.components", "BASE_TYPE_MIN_LENGTH", "Must be 1 or more in length.")
            )
        buttons = [c for c in children if isinstance(c, dict) and c.get("type") == 2]
        selects = [c for c in children if isinstance(c, dict) and c.get("type") in (3, 5, 6, 7, 8)]
        if len(buttons) > BUTTONS_PER_ROW or (selects and len(children) > 1):
            errors.append(
                FieldError(
                    f"{path}.components",
                    "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                    "The specified component exceeds the maximum width",
                )
            )
        for c, child in enumerate(children):
            if isinstance(child, dict):
                _check_interactive(errors, f"{path}.components.{c}", child, seen)
    return errors


def _check_interactive(
    errors: list[FieldError], path: str, component: dict[str, Any], seen: set[str]
) -> None:
    kind = component.get("type")
    is_link = kind == 2 and component.get("style") in (5, 6)
    custom_id = component.get("custom_id")
    if is_link:
        if component.get("style") == 5 and not component.get("url"):
            errors.append(FieldError(f"{path}.url", "BASE_TYPE_REQUIRED", "This field is required"))
    elif kind in (2, 3, 4, 5, 6, 7, 8):
        if not isinstance(custom_id, str) or not custom_id:
            errors.append(FieldError(f"{path}.custom_id", "BASE_TYPE_REQUIRED", "This field is required"))
        else:
            _check_length(errors, f"{path}.custom_id", custom_id, 100, 1)
            if custom_id in seen:
                errors.append(
                    FieldError(
                        f"{path}.custom_id",
                        "COMPONENT_CUSTOM_ID_DUPLICATED",
                        "Component custom id cannot be duplicated",
                    )
                )
            seen.add(custom_id)
    if kind == 2:
        _check_length(errors, f"{path}.label", component.get("label"), 80)
    if kind == 3:
        options = component.get("options") or []
        if not 1 <= len(options) <= 25:
            errors.append(
                FieldError(f"{path}.options", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 25 in length.")
            )
        for o, option in enumerate(options):
            if isinstance(option, dict):
                for key in ("label", "value", "description"):
                    _check_length(errors, f"{path}.options.{o}.{key}", option.get(key), 100)
    if kind in (3, 5, 6, 7, 8):
        _check_length(errors, f"{path}.placeholder", component.get("placeholder"), 150)


def check_modal(data: dict[str, Any]) -> list[FieldError]:
    errors: list[FieldError] = []
    _check_length(errors, "data.title", data.get("title"), 45, 1)
    if data.get("title") is None:
        errors.append(FieldError("data.title", "BASE_TYPE_REQUIRED", "This field is required"))
    custom_id = data.get("custom_id")
    if not isinstance(custom_id, str) or not custom_id:
        errors.append(FieldError("data.custom_id", "BASE_TYPE_REQUIRED", "This field is required"))
    else:
        _check_length(errors, "data.custom_id", custom_id, 100, 1)
    components = data.get("components") or []
    if not 1 <= len(components) <= MODAL_COMPONENTS_MAX:
        errors.append(
            FieldError(
                "data.components",
                "BASE_TYPE_BAD_LENGTH",
                f"Must be between 1 and {MODAL_COMPONENTS_MAX} in length.",
            )
        )
    seen: set[str] = set()
    for index, top in enumerate(components):
        path = f"data.components.{index}"
        if not isinstance(top, dict):
            continue
        if top.get("type") == 1:
            for c, child in enumerate(top.get("components") or []):
                if isinstance(child, dict):
                    _check_modal_input(errors, f"{path}.components.{c}", child, seen)
        elif top.get("type") == 18:
            _check_length(errors, f"{path}.label", top.get("label"), 45, 1)
            _check_length(errors, f"{path}.description", top.get("description"), 100)
            inner = top.get("component")
            if isinstance(inner, dict):
                _check_modal_input(errors, f"{path}.component", inner, seen)
    return errors


def _check_modal_input(
    errors: list[FieldError], path: str, component: dict[str, Any], seen: set[str]
) -> None:
    _check_interactive(errors, path, component, seen)
    if component.get("type") != 4:
        return
    _check_length(errors, f"{path}.label", component.get("label"), 45)
    _check_length(errors, f"{path}.placeholder", component.get("placeholder"), 100)
    _check_length(errors, f"{path}.value", component.get("value"), TEXT_INPUT_MAX)
    for key, low in (("min_length", 0), ("max_length", 1)):
        value = component.get(key)
        if value is not None and (not isinstance(value, int) or not low <= value <= TEXT_INPUT_MAX):
            errors.append(
                FieldError(
                    f"{path}.{key}",
                    "NUMBER_TYPE_MAX" if isinstance(value, int) and value > 0 else "NUMBER_TYPE_MIN",
                    f"Must be between {low} and {TEXT_INPUT_MAX}.",
                )
            )
    if component.get("style") not in (1, 2):
        errors.append(FieldError(f"{path}.style", "BASE_TYPE_CHOICES", "Value must be one of {1, 2}."))


def check_allowed_mentions(allowed: Any) -> list[FieldError]:
    if allowed is None:
        return []
    if not isinstance(allowed, dict):
        return [
            FieldError("allowed_mentions", "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        ]
    errors: list[FieldError] = []
    parse = allowed.get("parse") or []
    for index, value in enumerate(parse):
        if value not in ("users", "roles", "everyone"):
            errors.append(
                FieldError(
                    f"allowed_mentions.parse.{index}",
                    "BASE_TYPE_CHOICES",
                    "Value must be one of {'users', 'roles', 'everyone'}.",
                )
            )
    for kind in ("users", "roles"):
        listed = allowed.get(kind) or []
        if kind in parse and listed:
            errors.append(
                FieldError(
                    "allowed_mentions",
                    "ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                    f'parse:["{kind}"] and {kind}: [ids] are mutually exclusive.',
                )
            )
        if len(listed) > 100:
            errors.append(
                FieldError(
                    f"allowed_mentions.{kind}", "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length."
                )
            )
    return errors
