"""bot/services/privacy.py: pseudonyms, draft owner tags, the sealed relay target, codes and keys."""

from __future__ import annotations

import base64
import re

import pytest

from bot.services.privacy import Privacy, generate_keys, is_forgotten, new_alias, normalize_code, short_code
from tests.bot.services.question_fakes import (
    ASKER,
    GUILD,
    OTHER_GUILD,
    OTHER_USER,
    RELAY_KEY,
    make_privacy,
)

QUESTION_ID = 42
OTHER_PSEUDONYM_KEY = b"q" * 48
OTHER_RELAY_KEY = bytes(reversed(range(32)))


# --- pseudonyms ---------------------------------------------------------------------------------


@pytest.mark.parametrize("user_id", [0, 1, ASKER, 2**63 - 1])
def test_pseudonym_is_16_lowercase_hex_characters(user_id: int) -> None:
    assert re.fullmatch(r"[0-9a-f]{16}", make_privacy().pseudonym(GUILD, user_id))


def test_pseudonym_is_stable_for_the_same_guild_and_user_across_instances() -> None:
    assert make_privacy().pseudonym(GUILD, ASKER) == make_privacy().pseudonym(GUILD, ASKER)


def test_pseudonym_differs_across_guilds() -> None:
    privacy = make_privacy()
    assert privacy.pseudonym(GUILD, ASKER) != privacy.pseudonym(OTHER_GUILD, ASKER)


def test_pseudonym_differs_across_users() -> None:
    privacy = make_privacy()
    assert privacy.pseudonym(GUILD, ASKER) != privacy.pseudonym(GUILD, OTHER_USER)


def test_pseudonym_differs_across_keys() -> None:
    rotated = make_privacy(pseudonym_key=OTHER_PSEUDONYM_KEY)
    assert rotated.pseudonym(GUILD, ASKER) != make_privacy().pseudonym(GUILD, ASKER)


def test_pseudonym_does_not_depend_on_the_relay_key() -> None:
    other_relay = make_privacy(relay_key=OTHER_RELAY_KEY)
    assert other_relay.pseudonym(GUILD, ASKER) == make_privacy().pseudonym(GUILD, ASKER)


def test_pseudonym_does_not_confuse_guild_and_user_digits() -> None:
    privacy = make_privacy()
    assert privacy.pseudonym(1, 23) != privacy.pseudonym(12, 3)


@pytest.mark.parametrize("short", [b"", b"k" * 31])
def test_a_pseudonym_key_shorter_than_32_bytes_is_refused(short: bytes) -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        Privacy(short, RELAY_KEY)


# --- owner tags ----------------------------------------------------------------------------------


def test_owner_tags_of_one_user_share_nothing_from_draft_to_draft() -> None:
    privacy = make_privacy()
    first, second = privacy.owner_tag(ASKER), privacy.owner_tag(ASKER)
    assert first[:16] != second[:16] and first[16:] != second[16:]


def test_an_owner_tag_is_owned_by_its_user_only() -> None:
    privacy = make_privacy()
    tag = privacy.owner_tag(ASKER)
    assert privacy.owns(tag, ASKER)
    assert not privacy.owns(tag, OTHER_USER)


@pytest.mark.parametrize("tag", ["", "0" * 64, "short"])
def test_a_malformed_owner_tag_is_owned_by_nobody(tag: str) -> None:
    assert not make_privacy().owns(tag, ASKER)


def test_an_owner_tag_is_64_hex_characters() -> None:
    assert re.fullmatch(r"[0-9a-f]{64}", make_privacy().owner_tag(ASKER))


@pytest.mark.parametrize("guild_id", [0, GUILD])
def test_owner_tag_shares_nothing_with_the_pseudonym(guild_id: int) -> None:
    privacy = make_privacy()
    pseudonym = privacy.pseudonym(guild_id, ASKER)
    tag = privacy.owner_tag(ASKER)
    assert pseudonym not in tag


def test_owner_tag_is_not_owned_under_another_key() -> None:
    rotated = make_privacy(pseudonym_key=OTHER_PSEUDONYM_KEY)
    assert not rotated.owns(make_privacy().owner_tag(ASKER), ASKER)


def test_owner_tag_does_not_contain_the_user_id() -> None:
    assert str(ASKER) not in make_privacy().owner_tag(ASKER)


# --- sealed relay target ---------------------------------------------------------------------------


@pytest.mark.parametrize("user_id", [1, 10**16, ASKER, 2**64 - 1])
def test_a_sealed_target_has_the_same_size_whatever_the_id(user_id: int) -> None:
    assert len(make_privacy().seal(user_id, 7)) == len(make_privacy().seal(ASKER, 7)) == 48


@pytest.mark.parametrize("user_id", [1, ASKER, 2**63 - 1])
def test_seal_then_open_returns_the_user_id(user_id: int) -> None:
    privacy = make_privacy()
    assert privacy.open(privacy.seal(user_id, QUESTION_ID), QUESTION_ID) == user_id


def test_a_sealed_target_opens_in_another_instance_with_the_same_keys() -> None:
    assert make_privacy().open(make_privacy().seal(ASKER, QUESTION_ID), QUESTION_ID) == ASKER


def test_sealing_twice_gives_different_bytes() -> None:
    privacy = make_privacy()
    assert privacy.seal(ASKER, QUESTION_ID) != privacy.seal(ASKER, QUESTION_ID)


def test_sealed_bytes_do_not_contain_the_user_id() -> None:
    sealed = make_privacy().seal(ASKER, QUESTION_ID)
    assert str(ASKER).encode() not in sealed
    assert ASKER.to_bytes(8, "big") not in sealed
    assert ASKER.to_bytes(8, "little") not in sealed


def test_open_with_another_question_id_returns_none() -> None:
    privacy = make_privacy()
    assert privacy.open(privacy.seal(ASKER, QUESTION_ID), QUESTION_ID + 1) is None


def test_open_with_another_relay_key_returns_none() -> None:
    sealed = make_privacy().seal(ASKER, QUESTION_ID)
    assert make_privacy(relay_key=OTHER_RELAY_KEY).open(sealed, QUESTION_ID) is None


@pytest.mark.parametrize("position", [0, 11, 12, -1], ids=["nonce-first", "nonce-last", "cipher", "tag"])
def test_open_of_tampered_bytes_returns_none(position: int) -> None:
    privacy = make_privacy()
    sealed = bytearray(privacy.seal(ASKER, QUESTION_ID))
    sealed[position] ^= 0x01
    assert privacy.open(bytes(sealed), QUESTION_ID) is None


@pytest.mark.parametrize("sealed", [b"", b"short", b"\x00" * 12, b"\x00" * 40])
def test_open_of_garbage_returns_none(sealed: bytes) -> None:
    assert make_privacy().open(sealed, QUESTION_ID) is None


def test_open_of_a_truncated_record_returns_none() -> None:
    privacy = make_privacy()
    assert privacy.open(privacy.seal(ASKER, QUESTION_ID)[:-1], QUESTION_ID) is None


# --- codes ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pseudonym", "code"),
    [("7f3a91c2deadbeef", "7F3A-91C2"), ("0000000000000000", "0000-0000"), ("abcdef0123456789", "ABCD-EF01")],
)
def test_short_code_is_the_first_8_hex_digits_upper_case_with_a_dash(pseudonym: str, code: str) -> None:
    assert short_code(pseudonym) == code


@pytest.mark.parametrize("user_id", [1, ASKER, OTHER_USER])
def test_short_code_of_a_real_pseudonym_has_the_xxxx_xxxx_format(user_id: int) -> None:
    code = short_code(make_privacy().pseudonym(GUILD, user_id))
    assert re.fullmatch(r"[0-9A-F]{4}-[0-9A-F]{4}", code)


@pytest.mark.parametrize("typed", ["7F3A-91C2", "7f3a91c2", "7F3A91C2", " 7f3a - 91C2 ", "7F3A 91C2"])
def test_normalize_code_accepts_dash_case_and_spaces(typed: str) -> None:
    assert normalize_code(typed) == "7f3a91c2"


def test_a_normalized_short_code_is_a_prefix_of_its_pseudonym() -> None:
    pseudonym = make_privacy().pseudonym(GUILD, ASKER)
    assert pseudonym.startswith(normalize_code(short_code(pseudonym)))


# --- keys ----------------------------------------------------------------------------------------------


def test_generated_pseudonym_key_is_at_least_32_characters() -> None:
    pseudonym_key, _ = generate_keys()
    assert len(pseudonym_key) >= 32


def test_generated_relay_key_is_base64_of_32_bytes() -> None:
    _, relay_key = generate_keys()
    assert len(base64.b64decode(relay_key, validate=True)) == 32


def test_generated_keys_are_fresh_each_time() -> None:
    assert generate_keys() != generate_keys()


def test_generated_keys_build_a_working_privacy() -> None:
    pseudonym_key, relay_key = generate_keys()
    privacy = Privacy(pseudonym_key.encode(), base64.b64decode(relay_key))
    assert privacy.open(privacy.seal(ASKER, QUESTION_ID), QUESTION_ID) == ASKER
    assert privacy.pseudonym(GUILD, ASKER) != make_privacy().pseudonym(GUILD, ASKER)


def test_a_new_alias_is_16_hex_and_fresh_each_time() -> None:
    first, second = new_alias(), new_alias()
    assert re.fullmatch(r"[0-9a-f]{16}", first) and first != second
    assert not is_forgotten(first)


def test_a_forgotten_alias_is_marked_and_still_random() -> None:
    first, second = new_alias(forgotten=True), new_alias(forgotten=True)
    assert is_forgotten(first) and is_forgotten(second) and first != second
