"""The cryptography that keeps askers anonymous: pseudonyms, draft owner tags, and the sealed relay target.

- A pseudonym is HMAC-SHA256(pseudonym key, "asker" ‖ guild ‖ user), cut to 64 bits: stable per
  guild, unlinkable across guilds, and rotating the key unlinks everyone. It keys blocks and the
  asker's current alias; it is never shown and never stored on a question.
- An alias is random (`new_alias`): what a question carries and what reviewers see as a code.
  Forget-me replaces it, so earlier questions carry nothing that can be recomputed from the person.
- A draft's owner tag is a random salt followed by an HMAC of (salt, author): ownership can be
  checked, yet no two drafts of one person share anything.
- The relay target (the asker's user id, needed to DM answers back) is sealed with AES-256-GCM,
  bound to its question id, as a fixed-width number (the length reveals nothing), never in the clear.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PSEUDONYM_HEX = 16  # 64 bits
CODE_LENGTH = 8  # what reviewers see and type
SALT_HEX = 16
OWNER_TAG_HEX = 64
SEALED_DIGITS = 20  # a snowflake is below 2**64, so at most 20 digits
FORGOTTEN = "-"  # the first character of an alias replaced by forget-me: its code is not shown


class Privacy:
    def __init__(self, pseudonym_key: bytes, relay_key: bytes) -> None:
        if len(pseudonym_key) < 32:
            raise ValueError("the pseudonym key must be at least 32 bytes")
        if len(relay_key) not in (16, 24, 32):
            raise ValueError("the relay key must be 128, 192 or 256 bits")
        self._pseudonym_key = pseudonym_key
        self._relay_key = relay_key
        self._cipher: AESGCM | None = None

    @property
    def _aead(self) -> AESGCM:
        """Built on first use: OpenSSL's bindings cost 8 MB that a start without relays never needs."""
        if self._cipher is None:
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM

            self._cipher = AESGCM(self._relay_key)
        return self._cipher

    def pseudonym(self, guild_id: int, user_id: int) -> str:
        return self._mac(b"asker", guild_id, user_id)[:PSEUDONYM_HEX]

    def owner_tag(self, user_id: int) -> str:
        """A fresh tag for one draft: 16 hex of random salt, then 48 hex of HMAC(salt, user)."""
        salt = secrets.token_hex(SALT_HEX // 2)
        return salt + self._draft_mac(salt, user_id)

    def owns(self, tag: str, user_id: int) -> bool:
        salt, mac = tag[:SALT_HEX], tag[SALT_HEX:]
        return len(tag) == OWNER_TAG_HEX and hmac.compare_digest(mac, self._draft_mac(salt, user_id))

    def seal(self, user_id: int, question_id: int) -> bytes:
        """Always 12 + 20 + 16 = 48 bytes: the id is zero-padded to 20 digits (the most a snowflake has)."""
        nonce = os.urandom(12)
        return nonce + self._aead.encrypt(
            nonce, str(user_id).zfill(SEALED_DIGITS).encode(), _aad(question_id)
        )

    def open(self, sealed: bytes, question_id: int) -> int | None:
        """The user id, or None if the record was tampered with or sealed under another key."""
        from cryptography.exceptions import InvalidTag

        try:
            return int(self._aead.decrypt(sealed[:12], sealed[12:], _aad(question_id)))
        except (InvalidTag, ValueError):
            return None

    def _draft_mac(self, salt: str, user_id: int) -> str:
        message = b"draft:%s:%d" % (salt.encode(), user_id)
        return hmac.new(self._pseudonym_key, message, hashlib.sha256).hexdigest()[: OWNER_TAG_HEX - SALT_HEX]

    def _mac(self, purpose: bytes, guild_id: int, user_id: int) -> str:
        message = b"%s:%d:%d" % (purpose, guild_id, user_id)
        return hmac.new(self._pseudonym_key, message, hashlib.sha256).hexdigest()


def new_alias(*, forgotten: bool = False) -> str:
    """A random alias (16 hex). A forgotten one starts with FORGOTTEN and shows no code."""
    alias = secrets.token_hex(PSEUDONYM_HEX // 2)
    return FORGOTTEN + alias[1:] if forgotten else alias


def is_forgotten(alias: str) -> bool:
    return alias.startswith(FORGOTTEN)


def short_code(pseudonym: str) -> str:
    """`7f3a91c2…` → `7F3A-91C2`: what reviewers see."""
    code = pseudonym[:CODE_LENGTH].upper()
    return f"{code[:4]}-{code[4:]}"


def normalize_code(text: str) -> str:
    return text.replace("-", "").replace(" ", "").lower()


def _aad(question_id: int) -> bytes:
    return b"question:%d" % question_id


def generate_keys() -> tuple[str, str]:
    """Fresh (pseudonym key, relay key), as the environment expects them."""
    return secrets.token_urlsafe(48), base64.b64encode(os.urandom(32)).decode()
