"""A disk cache of model answers, keyed by a hash of model, operation, parameters and input, so
a performer can fetch before the show and play offline. Tokens are never part of a key or file."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import os
from pathlib import Path
from typing import Any

import numpy as np

from shaderlab.models.config import ModelConfig

log = logging.getLogger(__name__)


def default_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "shaderlab" / "models"


def cache_key(config: ModelConfig, operation: str, params: dict[str, Any], pixels: np.ndarray | None) -> str:
    identity = {
        "provider": config.provider, "url": config.url, "model": config.model, "version": config.version,
        "input": config.input, "output": config.output, "params": config.params,
        "operation": operation, "call": params,
    }
    digest = hashlib.sha256(json.dumps(identity, sort_keys=True, default=str).encode())
    if pixels is not None:
        digest.update(str(pixels.shape).encode())
        digest.update(np.ascontiguousarray(pixels).tobytes())
    return digest.hexdigest()


class ModelCache:
    def __init__(self, folder: Path | None = None):
        self.folder = folder or default_folder()

    def get(self, key: str) -> np.ndarray | None:
        path = self.folder / f"{key}.npy"
        try:
            return np.load(path, allow_pickle=False)
        except (OSError, ValueError):
            return None

    def put(self, key: str, value: np.ndarray) -> None:
        """Write atomically (a temporary file renamed), so a crash never leaves half an entry.
        A cache that cannot be written is a warning: the answer in hand is still good."""
        buffer = io.BytesIO()
        np.save(buffer, value, allow_pickle=False)
        temporary = self.folder / f".{key}.{os.getpid()}.tmp"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(buffer.getvalue())
            os.replace(temporary, self.folder / f"{key}.npy")
        except OSError as exc:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
            log.warning("%s: cannot write the model cache (%s); the answer is used but not kept", self.folder, exc.strerror or exc)
