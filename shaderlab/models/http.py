"""HTTP for model servers that may be asleep, slow, broken or hostile — never trusted.

Every request has a connect timeout, a read timeout and a total deadline that also covers a
body dripping in slowly; bodies are capped while they stream; 429/503 are retried a bounded
number of times honouring Retry-After (capped); 401/403/404 are not retried and say what to
fix. Plain HTTP is refused except to loopback addresses. Tokens go in the Authorization header
only and never into a message: errors name the URL without its query.
"""

from __future__ import annotations

import ipaddress
import json
import time
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import urlsplit

import requests

from shaderlab.errors import ShaderlabError

#: Bodies larger than this are cut off while streaming (a 4K PNG as base64 is ~30 MB).
MAX_BODY = 64 * 1024 * 1024
RETRY_STATUSES = (429, 502, 503, 504)


class ModelError(ShaderlabError):
    """A model server could not give an answer; the message says why and what to do."""


@dataclass(frozen=True)
class Limits:
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    deadline: float = 120.0  # the whole request, retries and waits included
    max_body: int = MAX_BODY
    retries: int = 3
    max_wait: float = 20.0  # the longest Retry-After honoured


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def json(self, where: str) -> Any:
        try:
            return json.loads(self.body)
        except (ValueError, UnicodeDecodeError):
            preview = self.body[:80].decode("utf-8", "replace")
            raise ModelError(f"{where}: the server answered with something that is not JSON ({preview!r})") from None


def check_url(url: str) -> str:
    """Only https, or http to this machine (a local or self-hosted model)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ModelError(f"{url!r} is not an http(s) URL")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ModelError(f"{_public(url)}: plain HTTP is only allowed to this machine (127.0.0.1, localhost); use https")
    return url


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _public(url: str) -> str:
    """The URL as it may appear in a message: no query, no credentials."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


class Client:
    """One requests.Session with the limits applied to every call; safe on one worker thread."""

    def __init__(self, token: str | None = None, limits: Limits = Limits(), cancelled: Callable[[], bool] = lambda: False):
        self.session = requests.Session()
        self.session.trust_env = False  # no proxies or netrc credentials picked up silently
        self.token = token
        self.limits = limits
        self.cancelled = cancelled

    def request(self, method: str, url: str, *, json_body: Any = None, data: bytes | None = None,
                headers: dict[str, str] | None = None, retry: bool = True,
                wait_hint: Callable[[Response], float | None] | None = None) -> Response:
        """One call with the limits; ``wait_hint`` may read a retry delay from a body (the
        Hugging Face 'loading' answer gives `estimated_time`)."""
        check_url(url)
        sent = dict(headers or {})
        if self.token:
            sent["Authorization"] = f"Bearer {self.token}"
        deadline = time.monotonic() + self.limits.deadline
        attempt = 0
        while True:
            response = self._once(method, url, json_body, data, sent, deadline)
            if response.status < 400:
                return response
            if response.status in RETRY_STATUSES and retry and attempt < self.limits.retries:
                hinted = wait_hint(response) if wait_hint else None
                wait = min(hinted if hinted is not None else self._retry_after(response, attempt), self.limits.max_wait)
                if time.monotonic() + wait < deadline:
                    self.wait(wait, url)
                    attempt += 1
                    continue
            raise ModelError(describe_status(url, response))

    def _once(self, method, url, json_body, data, headers, deadline) -> Response:
        if self.cancelled():
            raise ModelError("cancelled")
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ModelError(f"{_public(url)}: no answer within {self.limits.deadline:g} s; the server is too slow or stuck")
        timeout = (min(self.limits.connect_timeout, remaining), min(self.limits.read_timeout, remaining))
        try:
            with self.session.request(method, url, json=json_body, data=data, headers=headers,
                                      timeout=timeout, stream=True, allow_redirects=False) as raw:
                body = self._read(raw, url, deadline)
                return Response(raw.status_code, {k.lower(): v for k, v in raw.headers.items()}, body)
        except requests.exceptions.ConnectTimeout:
            raise ModelError(f"{_public(url)}: could not connect within {self.limits.connect_timeout:g} s; is the server up?") from None
        except requests.exceptions.ConnectionError as exc:
            reason = "the name does not resolve" if "Name or service not known" in str(exc) or "resolve" in str(exc) else "connection refused or reset"
            raise ModelError(f"{_public(url)}: cannot reach the server ({reason}); check the URL and that it is running") from None
        except requests.exceptions.ReadTimeout:
            raise ModelError(f"{_public(url)}: the server stopped answering for {self.limits.read_timeout:g} s") from None
        except requests.exceptions.RequestException as exc:
            raise ModelError(f"{_public(url)}: request failed ({type(exc).__name__})") from None

    def _read(self, raw: requests.Response, url: str, deadline: float) -> bytes:
        declared = raw.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.limits.max_body:
            raise ModelError(f"{_public(url)}: answer of {int(declared) // 1_000_000} MB is over the {self.limits.max_body // 1_000_000} MB limit")
        chunks, size = [], 0
        for chunk in raw.iter_content(chunk_size=65536):
            size += len(chunk)
            if size > self.limits.max_body:
                raise ModelError(f"{_public(url)}: answer is over the {self.limits.max_body // 1_000_000} MB limit")
            if time.monotonic() > deadline:
                raise ModelError(f"{_public(url)}: the answer came too slowly (over {self.limits.deadline:g} s)")
            if self.cancelled():
                raise ModelError("cancelled")
            chunks.append(chunk)
        return b"".join(chunks)

    def _retry_after(self, response: Response, attempt: int) -> float:
        value = response.headers.get("retry-after", "")
        try:
            return max(0.0, float(value))
        except ValueError:
            return min(2.0 ** attempt, self.limits.max_wait)  # no usable header: back off

    def wait(self, seconds: float, url: str) -> None:
        """Sleep, waking early when cancelled."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if self.cancelled():
                raise ModelError("cancelled")
            time.sleep(min(0.05, end - time.monotonic()))

    def close(self) -> None:
        self.session.close()


def describe_status(url: str, response: Response) -> str:
    where = _public(url)
    status = response.status
    if status in (401, 403):
        return f"{where}: refused ({status}); check the token in the environment variable the model's configuration names"
    if status == 404:
        return f"{where}: not found (404); check the model's URL or name"
    if status in RETRY_STATUSES:
        return f"{where}: still unavailable ({status}) after retries; try again later"
    detail = _error_detail(response)
    return f"{where}: server error {status}{': ' + detail if detail else ''}"


def _error_detail(response: Response) -> str:
    try:
        payload = json.loads(response.body)
    except (ValueError, UnicodeDecodeError):
        return response.body[:120].decode("utf-8", "replace").strip()
    if isinstance(payload, dict):
        for key in ("error", "detail", "message"):
            if key in payload:
                return str(payload[key])[:200]
    return ""
