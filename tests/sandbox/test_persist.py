"""sandbox/persist.py: a saved world loads back the same, and ids keep increasing after a load."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox import Sandbox
from sandbox.model import StoredAttachment, StoredMessage
from sandbox.persist import WorldFileError, load_world, move_attachment_urls, save_world, world_to_json


def _busy_world() -> Sandbox:
    sandbox = Sandbox(seed=True)
    world = sandbox.hub.world
    dm = world.dm_channel_for(world.find_user("alex").id)
    message_id = world.ids.next()
    world.add_message(
        StoredMessage(payload={"id": str(message_id), "content": "hi", "author": {}}, channel_id=dm.id)
    )
    world.attachments[world.ids.next()] = StoredAttachment("a.md", "text/markdown", b"\x00\xff bytes")
    world.guild.scheduled_events[world.ids.next()] = {"id": "1", "name": "Drop-in"}
    return sandbox


def test_a_saved_world_loads_back_equal(tmp_path: Path) -> None:
    world = _busy_world().hub.world
    save_world(world, tmp_path / "w.json")

    loaded = load_world(tmp_path / "w.json", world.clock)

    assert world_to_json(loaded) == world_to_json(world)


def test_ids_made_after_a_load_are_above_every_saved_id(tmp_path: Path) -> None:
    world = _busy_world().hub.world
    save_world(world, tmp_path / "w.json")
    highest = world.ids.last

    loaded = load_world(tmp_path / "w.json", lambda: world.now().replace(year=2015))

    assert loaded.ids.next() > highest


def test_a_sandbox_given_an_existing_world_file_restores_its_ids(tmp_path: Path) -> None:
    first = Sandbox(world_file=tmp_path / "w.json")
    first.save_world()

    second = Sandbox(world_file=tmp_path / "w.json")

    assert second.restored
    assert second.seed == first.seed


def test_a_damaged_world_file_names_the_file_and_the_way_out(tmp_path: Path) -> None:
    (tmp_path / "w.json").write_text("{not json", encoding="utf-8")

    with pytest.raises(WorldFileError, match=r"w\.json.*move it away"):
        load_world(tmp_path / "w.json", lambda: _busy_world().hub.world.now())


def test_attachment_links_follow_a_kept_world_to_another_port(tmp_path: Path) -> None:
    world = _busy_world().hub.world
    world.http_base = "http://127.0.0.1:8765"
    (stored,) = [m for m in world.messages.values()]
    stored.payload["attachments"] = [{"url": "http://127.0.0.1:8765/attachments/1/2/a.md"}]
    save_world(world, tmp_path / "w.json")
    loaded = load_world(tmp_path / "w.json", world.clock)

    move_attachment_urls(loaded, "http://127.0.0.1:9000")

    (moved,) = [m for m in loaded.messages.values()]
    assert moved.payload["attachments"][0]["url"] == "http://127.0.0.1:9000/attachments/1/2/a.md"
