"""bot/config.py [members]: the community roles and the report's suppression threshold."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Config, ConfigError, load_config
from bot.domain.members import DEFAULT_ROLES


def load(tmp_path: Path, body: str) -> Config:
    path = tmp_path / "config.toml"
    path.write_text(body, "utf-8")
    return load_config(path, {})


def test_the_default_roles_and_threshold(tmp_path: Path) -> None:
    config = load(tmp_path, "")
    assert config.members.community_roles() == DEFAULT_ROLES
    assert config.members.report_min_count == 5


def test_a_custom_list_with_both_labels(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        '[members]\nreport_min_count = 10\nroles = [{ key = "nurse", en = "Nurse", fr = "Personnel infirmier" }]\n',
    )
    (role,) = config.members.community_roles()
    assert (role.key, role.fr) == ("nurse", "Personnel infirmier")
    assert config.members.report_min_count == 10


@pytest.mark.parametrize(
    "body",
    [
        '[members]\nroles = [{ key = "a", en = "A", fr = "A" }, { key = "a", en = "B", fr = "B" }]\n',
        '[members]\nroles = [{ key = "Bad Key", en = "A", fr = "A" }]\n',
        '[members]\nroles = [{ key = "a", en = "A" }]\n',
        "[members]\nroles = []\n",
        "[members]\nreport_min_count = 0\n",
    ],
)
def test_a_bad_members_section_is_refused(tmp_path: Path, body: str) -> None:
    with pytest.raises(ConfigError):
        load(tmp_path, body)
