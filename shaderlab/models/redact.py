"""Keeping secrets out of messages.

Every model error passes through `redact_text` (ModelError does it when it is made): URLs lose
their credentials and query, anything shaped like a credential (`Bearer …`, `api_key=…`,
`Authorization: …`) is masked, and the text becomes one line. A `Secrets` object (one per
HTTP client) also knows the exact values it must hide — its token, the query values of the
configured URL — and masks those too (`Client.scrubbed`), even when a server reflects them
back or a cut-off excerpt ends inside one.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, quote_plus, urlsplit

MASK = "***"
ELLIPSIS = "…"
#: Shortest value taken as a secret from a URL's query (shorter ones are flags like `v=2`).
MIN_QUERY_SECRET = 4

# scheme://[user:pass@]host/path[?query][#fragment]; the query and credentials are dropped.
_URL = re.compile(r"\b([a-zA-Z][a-zA-Z0-9+.\-]*://)([^\s/?#@'\"<>]*@)?([^\s?#'\"<>]*)([?#][^\s'\"<>]*)?")
_CREDENTIAL = re.compile(
    r"(?i)\b((?:x-)?(?:api[_-]?key|access[_-]?token|auth[_-]?token|token|secret|password|passwd|authorization)"
    r"[\"']?\s*[=:]\s*[\"']?)(?:bearer\s+|basic\s+)?[^\s&'\",;}]+"
)
_SCHEME_VALUE = re.compile(r"(?i)\b(bearer|basic)(\s+)[^\s'\",;}]+")


def public_url(url: str) -> str:
    """The URL as it may appear in a message: no query, no fragment, no credentials."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "(an unreadable URL)"
    if not parts.scheme or not parts.netloc:
        return redact_text(f"{parts.scheme}:{parts.path}" if parts.scheme else parts.path) or "(an empty URL)"
    if ":" in host:
        host = f"[{host}]"  # IPv6
    return f"{parts.scheme}://{host}{f':{port}' if port else ''}{parts.path}"


def excerpt(text: str, limit: int) -> str:
    """Server text cut short for a message, marked so a secret cut in half is still found."""
    return text if len(text) <= limit else text[:limit] + ELLIPSIS


def redact_text(text: str) -> str:
    """What every message gets: URLs made public, credential-shaped values masked, one line."""
    text = _URL.sub(lambda m: m.group(1) + m.group(3), text)
    text = _CREDENTIAL.sub(lambda m: m.group(1) + MASK, text)
    text = _SCHEME_VALUE.sub(lambda m: m.group(1) + m.group(2) + MASK, text)
    return " ".join(text.split())


class Secrets:
    """The exact secret strings one client holds, to take out of any text shown to a person."""

    def __init__(self, *values: str | None) -> None:
        self._values: set[str] = set()
        for value in values:
            self.add(value)

    def add(self, value: str | None, shortest: int = 1) -> None:
        if not value or len(value) < shortest:
            return
        # As sent, and as a server may echo it back URL-encoded.
        self._values.update({value, quote(value, safe=""), quote_plus(value)})

    def learn(self, url: str) -> None:
        """Remember the query values and credentials of a URL (the configured one)."""
        try:
            parts = urlsplit(url)
            pairs = parse_qsl(parts.query, keep_blank_values=False)
            self.add(parts.password, MIN_QUERY_SECRET)
        except ValueError:
            return
        for _, value in pairs:
            self.add(value, MIN_QUERY_SECRET)

    def redact(self, text: str) -> str:
        for value in sorted(self._values, key=len, reverse=True):  # longest first: no half-masked values
            text = text.replace(value, MASK)
            # An excerpt cut inside a secret leaves its start before the ellipsis.
            for cut in range(len(value) - 1, 0, -1):
                if value[:cut] + ELLIPSIS in text:
                    text = text.replace(value[:cut] + ELLIPSIS, MASK + ELLIPSIS)
        return redact_text(text)
