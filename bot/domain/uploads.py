"""Files the bot uploads, kept within Discord's upload limits.

discord-api-docs developers/reference.mdx:430: "The file upload size limit applies to each file in a request.
The default limit is 10 MiB"; developers/resources/message.mdx:1072: "The maximum request size when sending
a message is 25 MiB"; message.mdx:1063 and the attachments field: at most 10 files a message. Past either
size Discord answers 413 with code 40005. A text file too big is cut at line ends into numbered parts; the
parts and other files are grouped into as few messages as the limits allow. A file that cannot be cut
(not text) and is too big is refused with a clear message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.errors import UserError

FILE_LIMIT = 10 * 1024 * 1024
REQUEST_LIMIT = 25 * 1024 * 1024
FILES_PER_MESSAGE = 10
TEXT_SUFFIXES = (".md", ".csv", ".txt", ".ics", ".json")
_MARGIN = 64 * 1024  # room for the form fields around the files


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


def split_file(upload: Upload, limit: int = FILE_LIMIT) -> list[Upload]:
    """`upload` itself when it fits; else its parts (`name-1.md`, `name-2.md`, …), each under `limit`,
    cut after a line end where there is one. Refused when it is not text."""
    if len(upload.data) <= limit:
        return [upload]
    if not upload.name.lower().endswith(TEXT_SUFFIXES):
        raise UserError("upload.too_large", name=upload.name, limit=limit // (1024 * 1024))
    stem, dot, suffix = upload.name.rpartition(".")
    parts: list[bytes] = []
    rest = upload.data
    while len(rest) > limit:
        cut = rest.rfind(b"\n", 0, limit) + 1
        if cut == 0:  # one very long line: cut at the limit, never inside a UTF-8 sequence
            cut = limit
            while cut > 1 and (rest[cut] & 0xC0) == 0x80:
                cut -= 1
        parts.append(rest[:cut])
        rest = rest[cut:]
    parts.append(rest)
    return [Upload(f"{stem}-{i}{dot}{suffix}", part) for i, part in enumerate(parts, start=1)]


def batches(
    uploads: Sequence[Upload],
    *,
    file_limit: int = FILE_LIMIT,
    request_limit: int = REQUEST_LIMIT,
    per_message: int = FILES_PER_MESSAGE,
) -> list[list[Upload]]:
    """The uploads (cut where needed) grouped in order into messages within every limit."""
    budget = request_limit - _MARGIN
    groups: list[list[Upload]] = []
    size = 0
    for upload in uploads:
        for part in split_file(upload, min(file_limit, budget)):
            if not groups or len(groups[-1]) >= per_message or size + len(part.data) > budget:
                groups.append([])
                size = 0
            groups[-1].append(part)
            size += len(part.data)
    return groups
