"""HTTP for model servers that may be asleep, slow, broken or hostile — never trusted.

Every request has a connect timeout, a read timeout and a total deadline that also covers a
body dripping in slowly; bodies are capped while they stream; 429/503 are retried a bounded
number of times honouring Retry-After (capped); 401/403/404 are not retried and say what to
fix. Plain HTTP is refused except to loopback addresses; redirects are not followed (one to
another host would carry the token) and are reported. A token goes in the Authorization header
only, and only to the host it was configured for (same scheme, host and port): an output URL
elsewhere is fetched without it, and no cookies are kept. No message carries a secret: every
ModelError is redacted (see redact.py), and the client masks the exact values it knows.
"""

from __future__ import annotations

import ipaddress
import json
import time
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookiejar import DefaultCookiePolicy
from typing import Any, Callable, Iterator
from urllib.parse import urljoin, urlsplit

import requests

from shaderlab.errors import ShaderlabError
from shaderlab.models.redact import Secrets, excerpt, public_url, redact_text

#: Bodies larger than this are cut off while streaming (a 4K PNG as base64 is ~30 MB).
MAX_BODY = 64 * 1024 * 1024
RETRY_STATUSES = (429, 502, 503, 504)


class ModelError(ShaderlabError):
    """A model server could not give an answer; the message says why and what to do.

    The message is redacted as it is made (one line; URLs without query or credentials;
    credential-shaped values masked), whoever raises it."""

    def __init__(self, message: str) -> None:
        super().__init__(redact_text(str(message)))


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
            preview = excerpt(self.body[:400].decode("utf-8", "replace"), 80)
            raise ModelError(f"{where}: the server answered with something that is not JSON ({preview!r})") from None


def check_url(url: str) -> str:
    """Only https, or http to this machine (a local or self-hosted model); no credentials in
    the URL (requests would send them instead of the token). Messages quote only the public
    part of the URL."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise ModelError(f"{public_url(url)} is not a valid URL (its address or port cannot be read)") from None
    if parts.username is not None or parts.password is not None:
        raise ModelError(f"{public_url(url)}: credentials in a URL (user:password@) are refused; put the token in "
                         "an environment variable and name that variable with token_env (or --token-env)")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ModelError(f"{public_url(url)} is not an http(s) URL")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ModelError(f"{public_url(url)}: plain HTTP is only allowed to this machine (127.0.0.1, localhost); use https")
    return url


def origin(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) with the default port filled in: what "the same host" means."""
    parts = urlsplit(url)
    return parts.scheme.lower(), (parts.hostname or "").lower(), parts.port or (443 if parts.scheme == "https" else 80)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Client:
    """One requests.Session with the limits applied to every call; safe on one worker thread.

    ``home`` is the configured model URL: the token is sent to its scheme, host and port only."""

    def __init__(self, token: str | None = None, limits: Limits = Limits(), cancelled: Callable[[], bool] = lambda: False,
                 home: str | None = None):
        if token and not home:
            raise ValueError("a Client with a token needs the home URL the token belongs to")
        self.session = requests.Session()
        self.session.trust_env = False  # no proxies or netrc credentials picked up silently
        # No cookies: one set by a host would be sent to another (cookies ignore ports).
        self.session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
        self.token = token
        self.home = origin(home) if home else None
        # What no message may show: the token, and the configured URL's query values (?api_key=…);
        # any other URL's query is dropped from messages whole.
        self.secrets = Secrets(token)
        if home:
            self.secrets.learn(home)
        self.limits = limits
        self.cancelled = cancelled

    def redact(self, text: str) -> str:
        """``text`` without any secret this client knows, as one line."""
        return self.secrets.redact(text)

    @contextmanager
    def scrubbed(self) -> Iterator[None]:
        """Whatever ModelError leaves this block carries none of this client's secrets. The
        providers wrap each operation in it; server text in their messages is covered too."""
        try:
            yield
        except ModelError as exc:
            raise ModelError(self.redact(str(exc))) from None

    def request(self, method: str, url: str, *, json_body: Any = None, data: bytes | None = None,
                headers: dict[str, str] | None = None, retry: bool = True,
                wait_hint: Callable[[Response], float | None] | None = None) -> Response:
        """One call with the limits; ``wait_hint`` may read a retry delay from a body (the
        Hugging Face 'loading' answer gives `estimated_time`)."""
        with self.scrubbed():
            check_url(url)
            sent = dict(headers or {})
            if self.token and origin(url) == self.home:
                sent["Authorization"] = f"Bearer {self.token}"
            return self._request(method, url, json_body, data, sent, retry, wait_hint)

    def _request(self, method, url, json_body, data, sent, retry, wait_hint) -> Response:
        deadline = time.monotonic() + self.limits.deadline
        attempt = 0
        while True:
            response = self._once(method, url, json_body, data, sent, deadline)
            if 300 <= response.status < 400:
                raise ModelError(describe_redirect(url, response))
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
            raise ModelError(f"{public_url(url)}: no answer within {self.limits.deadline:g} s; the server is too slow or stuck")
        timeout = (min(self.limits.connect_timeout, remaining), min(self.limits.read_timeout, remaining))
        try:
            with self.session.request(method, url, json=json_body, data=data, headers=headers,
                                      timeout=timeout, stream=True, allow_redirects=False) as raw:
                body = self._read(raw, url, deadline)
                return Response(raw.status_code, {k.lower(): v for k, v in raw.headers.items()}, body)
        except requests.exceptions.ConnectTimeout:
            raise ModelError(f"{public_url(url)}: could not connect within {self.limits.connect_timeout:g} s; is the server up?") from None
        except requests.exceptions.ConnectionError as exc:
            reason = "the name does not resolve" if "Name or service not known" in str(exc) or "resolve" in str(exc) else "connection refused or reset"
            raise ModelError(f"{public_url(url)}: cannot reach the server ({reason}); check the URL and that it is running") from None
        except requests.exceptions.ReadTimeout:
            raise ModelError(f"{public_url(url)}: the server stopped answering for {self.limits.read_timeout:g} s") from None
        except requests.exceptions.RequestException as exc:
            raise ModelError(f"{public_url(url)}: request failed ({type(exc).__name__})") from None
        except ValueError:  # requests reads a redirect's Location even when not following it
            raise ModelError(f"{public_url(url)}: the server redirected to an address that is no URL; configure the final URL") from None

    def _read(self, raw: requests.Response, url: str, deadline: float) -> bytes:
        declared = raw.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.limits.max_body:
            raise ModelError(f"{public_url(url)}: answer of {int(declared) // 1_000_000} MB is over the {self.limits.max_body // 1_000_000} MB limit")
        chunks, size = [], 0
        for chunk in raw.iter_content(chunk_size=65536):
            size += len(chunk)
            if size > self.limits.max_body:
                raise ModelError(f"{public_url(url)}: answer is over the {self.limits.max_body // 1_000_000} MB limit")
            if time.monotonic() > deadline:
                raise ModelError(f"{public_url(url)}: the answer came too slowly (over {self.limits.deadline:g} s)")
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


def describe_redirect(url: str, response: Response) -> str:
    """Redirects are not followed (the token must not travel on): name where it pointed."""
    location = response.headers.get("location", "").strip()
    if not location:
        return f"{public_url(url)}: the server redirected (status {response.status}) without saying where; configure the final URL"
    target = public_url(urljoin(url, location))  # one that is no URL fails earlier, in _once
    return (f"{public_url(url)}: the server redirected to {target} "
            f"(status {response.status}); configure the final URL")


def describe_status(url: str, response: Response) -> str:
    where = public_url(url)
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
    """The server's own words, cut short (the client masks any secret in them)."""
    try:
        payload = json.loads(response.body)
    except (ValueError, UnicodeDecodeError):
        return excerpt(response.body[:400].decode("utf-8", "replace").strip(), 120)
    if isinstance(payload, dict):
        for key in ("error", "detail", "message"):
            if key in payload:
                return excerpt(str(payload[key]), 200)
    return ""
