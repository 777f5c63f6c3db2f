"""Work that must not run on the GL thread: decoding images, saving, watching shader files.

Results cross to the GL thread as messages in a queue.Queue; nothing here touches GL.
"""

from __future__ import annotations

import itertools
import queue
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from shaderlab.app.messages import DepthReady, ImageReady, JobFailed, Message, ShaderChanged, ShaderRemoved
from shaderlab.io.depth import BUILTIN_ESTIMATOR, estimate_depth_builtin, load_depth
from shaderlab.errors import ShaderlabError
from shaderlab.io.images import load_image
from shaderlab.library import EFFECT_SUFFIXES


class Workers:
    """A small thread pool whose jobs post their outcome to ``inbox``; jobs are numbered."""

    def __init__(self, inbox: "queue.Queue[Message]"):
        self.inbox = inbox
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="shaderlab-worker")
        self._ids = itertools.count(1)

    def submit(self, work: Callable[[int], Message]) -> int:
        """Run ``work(job)`` off the GL thread; its message (or a JobFailed) lands in the inbox.
        The job number is passed in, so the work can never run before it exists."""
        job = next(self._ids)

        def done(future: Future) -> None:
            exc = future.exception()
            if exc is None:
                self.inbox.put(future.result())
            elif isinstance(exc, ShaderlabError):
                self.inbox.put(JobFailed(job, str(exc)))
            else:
                self.inbox.put(JobFailed(job, f"internal error: {exc!r}"))

        self._pool.submit(work, job).add_done_callback(done)
        return job

    def load_image(self, path: Path, max_side: int) -> int:
        """Decode an image file in the background; the answer is ImageReady or JobFailed."""

        def work(job: int) -> Message:
            loaded = load_image(path, max_side)
            return ImageReady(job, loaded.pixels, Path(path), loaded.warnings)

        return self.submit(work)

    def load_depth(self, path: Path | None, invert: bool, pixels: np.ndarray, estimator=None) -> int:
        """A depth map for ``pixels``: from ``path`` (resized to fit), else ``estimator`` (an
        ONNX model), else the built-in estimate."""
        size = (pixels.shape[1], pixels.shape[0])

        def work(job: int) -> Message:
            if path is not None:
                return DepthReady(job, load_depth(path, size, invert), str(path))
            if estimator is not None:
                return DepthReady(job, estimator.estimate(pixels), str(estimator.path))
            return DepthReady(job, estimate_depth_builtin(pixels), BUILTIN_ESTIMATOR)

        return self.submit(work)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class ShaderWatcher(threading.Thread):
    """Polls effect folders and posts ShaderChanged/ShaderRemoved with the file's new text.

    Polling mtimes (a few stat calls a quarter second) needs no extra dependency and behaves
    the same on every platform and file system, editors' save-by-rename included.
    """

    def __init__(self, folders: Iterable[Path], inbox: "queue.Queue[Message]", interval: float = 0.25):
        super().__init__(name="shaderlab-shader-watcher", daemon=True)
        self.folders = [Path(f) for f in folders]
        self.inbox = inbox
        self.interval = interval
        self._stopping = threading.Event()
        self._seen: dict[Path, float] = {}

    def scan(self) -> None:
        """Post every file whose modification time changed since the last scan."""
        present: set[Path] = set()
        for folder in self.folders:
            try:
                entries = list(folder.iterdir())
            except OSError:
                continue
            for path in entries:
                if path.suffix not in EFFECT_SUFFIXES:
                    continue
                try:
                    mtime = path.stat().st_mtime_ns
                    if self._seen.get(path) == mtime:
                        present.add(path)
                        continue
                    source = path.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    continue  # half-written or vanished: the next scan sees it again
                self._seen[path] = mtime
                present.add(path)
                self.inbox.put(ShaderChanged(path, source))
        for gone in set(self._seen) - present:
            del self._seen[gone]
            self.inbox.put(ShaderRemoved(gone))

    def run(self) -> None:
        while not self._stopping.wait(self.interval):
            self.scan()

    def stop(self) -> None:
        self._stopping.set()
