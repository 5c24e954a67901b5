"""Files within Discord's upload limits: cut at line ends, grouped per message, or refused."""

from __future__ import annotations

import pytest

from bot.domain.uploads import FILE_LIMIT, Upload, batches, split_file
from bot.errors import UserError


def test_a_file_within_the_limit_is_kept_whole() -> None:
    upload = Upload("minutes.md", b"# Minutes\n")
    assert split_file(upload) == [upload]


def test_a_big_text_file_is_cut_after_line_ends_into_numbered_parts() -> None:
    data = b"".join(b"line %03d\n" % i for i in range(100))
    parts = split_file(Upload("export.csv", data), limit=100)
    assert [p.name for p in parts[:2]] == ["export-1.csv", "export-2.csv"]
    assert b"".join(p.data for p in parts) == data
    assert all(len(p.data) <= 100 and p.data.endswith(b"\n") for p in parts)


def test_a_long_line_is_never_cut_inside_a_character() -> None:
    data = "é".encode() * 60
    parts = split_file(Upload("notes.txt", data), limit=51)
    assert [p.data.decode() for p in parts]  # each part decodes on its own
    assert b"".join(p.data for p in parts) == data


def test_a_big_binary_file_is_refused_clearly() -> None:
    with pytest.raises(UserError) as info:
        split_file(Upload("chart.png", b"\x89PNG" + bytes(FILE_LIMIT)))
    assert info.value.key == "upload.too_large"


def test_files_are_grouped_within_the_request_limit_and_ten_a_message() -> None:
    uploads = [Upload(f"f{i}.md", b"x" * 40) for i in range(12)]
    groups = batches(uploads, request_limit=100 + 64 * 1024)
    assert [len(g) for g in groups] == [2, 2, 2, 2, 2, 2]
    assert [len(g) for g in batches(uploads)] == [10, 2]
