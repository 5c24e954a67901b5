"""Optional OpenAPI body validation through sandbox.validation (written separately), loaded off-thread.

Until the validator has loaded, bodies are queued and validated once it is ready: those late findings
are recorded as violations (the reply already went out), so no request escapes validation.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from aiohttp import web

from sandbox.errors import FieldError

log = logging.getLogger(__name__)

Recorder = Callable[[str, str, list[FieldError]], None]


class SchemaGate:
    def __init__(self, spec_path: Path | None) -> None:
        self._spec_path = spec_path
        self._validator: Any = None
        self._pending: list[tuple[str, str, dict[str, str], Any]] = []
        self._task: asyncio.Task[None] | None = None
        self.available = False

    def start(self, record_late: Recorder) -> None:
        try:
            module = importlib.import_module("sandbox.validation")
            factory = module.RequestValidator
        except (ImportError, AttributeError):
            log.info("sandbox.validation not available: request bodies are not schema-checked")
            return
        self.available = True
        self._task = asyncio.get_running_loop().create_task(self._load(factory, record_late))

    async def _load(self, factory: Callable[[Path | None], Any], record_late: Recorder) -> None:
        try:
            self._validator = await asyncio.to_thread(factory, self._spec_path)
        except Exception:
            log.exception("could not load the OpenAPI request validator")
            self.available = False
            return
        pending, self._pending = self._pending, []
        for method, path, query, body in pending:
            errors = self._run(method, path, query, body)
            if errors:
                record_late(method, path, errors)

    @property
    def status(self) -> str:
        """ "absent" (no sandbox.validation or it failed to load), "loading" or "ready"."""
        if not self.available:
            return "absent"
        return "ready" if self._validator is not None else "loading"

    async def wait_loaded(self) -> str:
        if self._task is not None:
            await asyncio.shield(self._task)
        return self.status

    def check(self, method: str, path: str, query: Mapping[str, str], body: Any) -> list[FieldError]:
        """Findings for this body now, or [] when the validator is absent or still loading (then queued)."""
        if not self.available:
            return []
        if self._validator is None:
            self._pending.append((method, path, dict(query), body))
            return []
        return self._run(method, path, query, body)

    def _run(self, method: str, path: str, query: Mapping[str, str], body: Any) -> list[FieldError]:
        try:
            found = self._validator.validate(method, path, query, body)
        except Exception:
            log.exception("request validator failed on %s %s", method, path)
            return []
        return [
            FieldError(getattr(v, "field", ""), str(getattr(v, "code", "")), str(getattr(v, "message", "")))
            for v in found
        ]

    async def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task


SCHEMA_KEY: web.AppKey[SchemaGate] = web.AppKey("sandbox_schema", SchemaGate)
