"""Every REST body's checks (sandbox.validation): the limit layer at once, the spec layer off-thread.

The limit layer answers synchronously for every request, from the first one on. The spec layer takes
seconds to load: until then bodies are queued and checked once it is ready; those late findings are
recorded as violations (the reply already went out) unless the limit layer already reported the same
field and code, so no request escapes validation and no violation is recorded twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web

from sandbox.errors import ApiError
from sandbox.limits import EMPTY_MESSAGE
from sandbox.validation import LimitLayer, SpecLayer, Violation, form_errors, load_spec, merge

log = logging.getLogger(__name__)

Recorder = Callable[[str, str, list[Violation]], None]


@dataclass(frozen=True)
class _Pending:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    reported: frozenset[tuple[str, str]]  # (field, code) the limit layer already reported


class SchemaGate:
    """The server's validator: :meth:`check` for every request, :meth:`start` loads the spec layer."""

    def __init__(self, spec_path: Path | None) -> None:
        self._limits = LimitLayer()
        self._spec_path = spec_path
        self._spec: SpecLayer | None = None
        self._pending: list[_Pending] = []
        self._task: asyncio.Task[None] | None = None
        self._loading = False

    def start(self, record_late: Recorder) -> None:
        if self._spec_path is None:
            log.info("no OpenAPI spec: request bodies are checked against the documented limits only")
            return
        self._loading = True
        self._task = asyncio.get_running_loop().create_task(self._load(self._spec_path, record_late))

    async def _load(self, spec_path: Path, record_late: Recorder) -> None:
        try:
            self._spec = await asyncio.to_thread(load_spec, spec_path)
        except Exception:
            log.exception("could not load the OpenAPI request validator")
        finally:
            self._loading = False
        pending, self._pending = self._pending, []
        spec = self._spec
        if spec is None:  # no spec layer after all: nothing more to check
            return
        for item in pending:
            found = self._run_spec(spec, item.method, item.path, item.query, item.body)
            late = [v for v in found if (v.field, v.code) not in item.reported]
            if late:
                record_late(item.method, item.path, late)

    @property
    def status(self) -> str:
        """The spec layer: "absent" (no spec, or it failed to load), "loading" or "ready"."""
        if self._spec is not None:
            return "ready"
        return "loading" if self._loading else "absent"

    async def wait_loaded(self) -> str:
        if self._task is not None:
            await asyncio.shield(self._task)
        return self.status

    def check(
        self, method: str, path: str, query: Mapping[str, str], body: Any, *, uploads: bool = False
    ) -> list[Violation]:
        """The limit layer's findings, with the spec layer's once it has loaded (before: queued).

        ``body`` None means the request had none (the spec layer then skips it); ``uploads`` says
        files came with it.
        """
        found = self._limits.validate(method, path, body, uploads=uploads)
        if body is None:
            return found
        if self._spec is not None:
            return merge(found, self._run_spec(self._spec, method, path, query, body))
        if self._loading:
            reported = frozenset((v.field, v.code) for v in found)
            self._pending.append(_Pending(method, path, dict(query), body, reported))
        return found

    @staticmethod
    def _run_spec(
        spec: SpecLayer, method: str, path: str, query: Mapping[str, str], body: Any
    ) -> list[Violation]:
        try:
            return spec.validate(method, path, query, body)
        except Exception:
            log.exception("request validator failed on %s %s", method, path)
            return []

    async def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task


def rejection(found: list[Violation]) -> ApiError:
    """Discord's reply to a body with violations: 50006 for an empty message alone, else 50035."""
    if [(v.field, v.code) for v in found] == [(EMPTY_MESSAGE.field, EMPTY_MESSAGE.code)]:
        return ApiError(400, 50006, EMPTY_MESSAGE.message)
    return ApiError(400, 50035, "Invalid Form Body", form_errors(found))


SCHEMA_KEY: web.AppKey[SchemaGate] = web.AppKey("sandbox_schema", SchemaGate)
