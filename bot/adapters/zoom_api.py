"""Zoom's REST API with Server-to-Server OAuth, in plain aiohttp (reference §3.2-3.3): a token cached
until shortly before it expires, and one call, GET /meetings/{id}. URLs are configurable for tests."""

from __future__ import annotations

import base64
import time
from typing import Any

import aiohttp

REFRESH_EARLY = 60  # seconds


class ZoomApiError(Exception):
    """Zoom refused or failed; the message names the step and status, never a credential."""


class ZoomApi:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        oauth_url: str,
        api_base: str,
        account_id: str,
        client_id: str,
        client_secret: str,
    ) -> None:
        self._session = session
        self._oauth_url = oauth_url
        self._api_base = api_base.rstrip("/")
        self._account_id = account_id
        pair = base64.b64encode(f"{client_id}:{client_secret}".encode()).decode()
        self._basic = {"Authorization": f"Basic {pair}"}
        self._token: str | None = None
        self._expires = 0.0

    async def _access_token(self) -> str:
        if self._token is not None and time.monotonic() < self._expires:
            return self._token
        form = {"grant_type": "account_credentials", "account_id": self._account_id}
        async with self._session.post(self._oauth_url, data=form, headers=self._basic) as response:
            if response.status != 200:
                raise ZoomApiError(f"token request refused (HTTP {response.status})")
            body = await response.json(content_type=None)
        token = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(token, str):
            raise ZoomApiError("token response without access_token")
        self._token = token
        self._expires = time.monotonic() + max(0, int(body.get("expires_in", 3600)) - REFRESH_EARLY)
        return token

    async def meeting(self, meeting_id: str) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {await self._access_token()}"}
        async with self._session.get(f"{self._api_base}/meetings/{meeting_id}", headers=headers) as response:
            if response.status != 200:
                raise ZoomApiError(f"GET /meetings/{meeting_id} answered HTTP {response.status}")
            body = await response.json(content_type=None)
        if not isinstance(body, dict):
            raise ZoomApiError("meeting response is not an object")
        return body
