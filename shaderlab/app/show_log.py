"""Writing the show log as the show goes (show/show_log.py has the format): each frame's changes
on the GL thread — a small JSON line, flushed once a second — and the pictures the show took
(sources, depth maps) written to its assets folder by a worker, never in the frame."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Mapping

import numpy as np

from shaderlab.errors import ShaderlabError
from shaderlab.io.atomic import refuse_existing
from shaderlab.show.show_log import encode, header

FLUSH_SECONDS = 1.0
#: Pictures waiting for the disk past which a camera's frames and moving depth maps are not kept.
MAX_WAITING = 16


class ShowLogWriter:
    def __init__(self, path: Path, size: tuple[int, int], shaders: list[str]):
        self.path = Path(path)
        refuse_existing(self.path)
        self.partial = self.path.with_name(self.path.name + ".partial")
        self.assets = self.path.with_name(self.path.stem + "-assets")
        if self.partial.exists():  # a crashed show's log: it replays as far as it got, keep it
            raise ShaderlabError(f"{self.partial}: a show log cut short is there (render --replay reads it); "
                                 "choose another name")
        if self.assets.is_dir() and any(self.assets.iterdir()):
            raise ShaderlabError(f"{self.assets}: another log's pictures are there; choose another name")
        try:
            self.assets.mkdir(exist_ok=True)
            self._file = self.partial.open("w", encoding="utf-8")
        except OSError as exc:
            raise ShaderlabError(f"{self.path}: cannot write the show log ({exc.strerror or exc})") from None
        self._file.write(json.dumps(header(size, shaders)) + "\n")
        # Its own worker for the pictures: closing waits for every one (the app's pool may
        # cancel what is queued when the show ends).
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="shaderlab-show-log")
        self._mouse: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
        self._values: dict[str, Any] = {}
        self._chain: list[Any] | None = None
        self._said: list[str] = []
        self._flushed = time.monotonic()
        self._assets = 0
        self._waiting = 0  # pictures handed to the writer, not written yet
        self._waiting_lock = threading.Lock()
        self.not_kept = 0  # pictures of a camera or depth maps left out (the disk was behind)
        self.frames = 0

    def said(self, text: str) -> None:
        """A command carried out this frame (the log's history; replay reads the values)."""
        self._said.append(text)

    def frame(self, index: int, frame_index: int, t: float, tempo: tuple, resolved: Mapping[str, Any], chain: list[tuple[str, str, bool]],
              sort: tuple[str | None, bool], source: np.ndarray | None = None, depth: np.ndarray | None = None,
              fade: tuple[float, float, str | None] | None = None, reset: str | None = None,
              clip: tuple[str, int] | None = None, mouse: tuple[float, float, float, float] | None = None,
              seeds: Mapping[str, np.ndarray] | None = None) -> None:
        entry: dict[str, Any] = {"f": index, "i": frame_index, "t": t, "tempo": list(tempo)}
        changed = {a: encode(v) for a, v in resolved.items() if self._values.get(a, _MISSING) != v}
        if changed:
            entry["values"] = changed
        gone = [a for a in self._values if a not in resolved]
        if gone:
            entry["gone"] = gone
        self._values = dict(resolved)
        if chain != self._chain:
            entry["chain"] = [list(slot) for slot in chain]
            self._chain = list(chain)
        if source is not None and (name := self._asset(source, ".png", bounded=True)):
            entry["source"] = name
        if mouse is not None and mouse != self._mouse:
            entry["mouse"] = list(mouse)  # Shadertoy's iMouse, when an effect reads it
            self._mouse = mouse
        for key, pixels in (seeds or {}).items():
            entry[key] = self._asset(pixels, ".png")  # "canvas", "held": where a log begun mid-show starts
        if clip is not None:
            entry["clip"] = list(clip)  # a clip's frame: read from the clip again in replay
        if depth is not None and (name := self._asset(depth, ".npy", bounded=True)):
            entry["depth"] = name
        if sort != (None, False):
            entry["sort"] = list(sort)
        if fade is not None:
            entry["fade"] = list(fade)
        if reset is not None:
            entry["reset"] = reset  # "sort" (R) or "panic": replayed before the frame renders
        if self._said:
            entry["said"], self._said = self._said, []
        self._file.write(json.dumps(entry) + "\n")
        self.frames += 1
        now = time.monotonic()
        if now - self._flushed >= FLUSH_SECONDS:
            self._file.flush()
            self._flushed = now

    def unrecorded(self, index: int) -> None:
        """A recording running beside the log dropped frame ``index`` (known a few frames late)."""
        self._file.write(json.dumps({"unrecorded": index}) + "\n")

    def abandon(self) -> None:
        """After a write failed: stop, keeping what was written under the ``.partial`` name."""
        self._writer.shutdown(wait=False, cancel_futures=True)
        self._file.close()

    def close(self) -> Path:
        """End the log: its pictures written, flushed, synced and renamed to its name."""
        self._writer.shutdown(wait=True)
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        os.replace(self.partial, self.path)
        return self.path

    def _asset(self, pixels: np.ndarray, suffix: str, bounded: bool = False) -> str | None:
        """A picture the show took, written by a worker under a name the log holds now. With
        ``bounded`` (a camera's frames, a moving picture's depth: one a frame) it is not kept
        when MAX_WAITING pictures wait for the disk already — memory must not grow with a slow
        disk; those frames replay with the picture before, and closing the log says how many."""
        with self._waiting_lock:
            if bounded and self._waiting >= MAX_WAITING:
                self.not_kept += 1
                return None
            self._waiting += 1
        self._assets += 1
        name = f"{self.assets.name}/{self._assets:04d}{suffix}"
        target = self.path.parent / name
        data = np.array(pixels, copy=True)

        def write() -> None:
            try:
                temporary = target.with_name(target.name + ".partial")
                if suffix == ".npy":
                    with temporary.open("wb") as out:
                        np.save(out, data)
                else:
                    from PIL import Image

                    Image.fromarray(data).save(temporary, format="PNG", compress_level=1)
                os.replace(temporary, target)
            finally:
                with self._waiting_lock:
                    self._waiting -= 1

        self._writer.submit(write)
        return name


_MISSING = object()
