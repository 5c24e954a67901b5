"""The one validation path: what `run`, `sync`, `schedule` and `check-config` all check before they
start, beyond the file's own rules (bot.config). `check-config` reports what only `run` needs (the
token, the keys) as warnings; the commands that need them stop on them."""

from __future__ import annotations

from bot.config import ENV_PSEUDONYM_KEY, ENV_RELAY_KEY, ENV_TOKEN, Config


def preflight(config: Config) -> list[str]:
    """Raise ConfigError on anything that would stop a command later; return warnings for the
    secrets that are not set (needed by `run` and `sync`, not by `check-config` or `schedule`)."""
    from bot.app import dropin_template, privacy_from

    dropin_template(config)
    warnings = []
    if config.secrets.discord_token is None:
        warnings.append(f"{ENV_TOKEN} is not set: `run` and `sync` need it (the sandbox does not).")
    missing = [
        name
        for name, value in (
            (ENV_PSEUDONYM_KEY, config.secrets.pseudonym_key),
            (ENV_RELAY_KEY, config.secrets.relay_key),
        )
        if value is None
    ]
    if missing:
        warnings.append(
            f"{' and '.join(missing)} not set: `run` refuses to start without both keys. "
            "Fix: run `python -m bot gen-keys` and export what it prints."
        )
    else:
        privacy_from(config)
    return warnings
