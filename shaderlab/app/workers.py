"""Work that must not run on the GL thread: decoding images, saving, watching shader files.

Results cross to the GL thread as messages in a queue.Queue; nothing here touches GL.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from shaderlab.show.messages import DepthReady, ImageReady, JobFailed, Message, ShaderChanged, ShaderRemoved
from shaderlab.io.depth import BUILTIN_ESTIMATOR, estimate_depth_builtin, load_depth
from shaderlab.errors import ShaderlabError, unforeseen
from shaderlab.io.images import load_image
from shaderlab.library import effect_files, prepare_code, read_effect
from shaderlab.shadertoy.manifest import MANIFEST_SUFFIX

log = logging.getLogger(__name__)


class Workers:
    """A small thread pool whose jobs post their outcome to ``inbox``; jobs are numbered."""

    def __init__(self, inbox: "queue.SimpleQueue[Message] | queue.Queue[Message]"):
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
    """Watches effect folders and posts ShaderChanged (the file read and parsed here, off the
    GL thread) or ShaderRemoved.

    The thread sleeps until the operating system reports a change in a folder (inotify,
    FSEvents or ReadDirectoryChanges, through watchfiles), then compares the folder's
    modification times with the last scan's: editors' save-by-rename and a burst of writes are
    one change. A change to a file an effect is made of counts as a change to the effect: a
    ``.vs`` for its ``.fs``, a pass or common file for the Shadertoy manifests beside it.

    The thread never ends on a bad file: whatever goes wrong reading one is that file's
    error line (ShaderChanged with no spec), and the next file and the next scan go on.
    """

    WATCHED = (".fs", ".vs", ".native", ".glsl", ".toml")

    def __init__(self, folders: Iterable[Path], inbox: "queue.SimpleQueue[Message] | queue.Queue[Message]", interval: float = 0.25):
        super().__init__(name="shaderlab-shader-watcher", daemon=True)
        self.folders = [Path(f) for f in folders]
        self.inbox = inbox
        self.interval = interval
        self._stopping = threading.Event()
        self._seen: dict[Path, float] = {}

    def scan(self) -> None:
        """Post every effect whose files' modification times changed since the last scan."""
        present: set[Path] = set()
        changed: set[Path] = set()
        for folder in self.folders:
            try:
                entries = [p for p in folder.iterdir() if p.suffix in self.WATCHED]
            except OSError:
                continue
            for path in entries:
                try:
                    mtime = path.stat().st_mtime_ns
                except OSError:
                    continue
                present.add(path)
                if self._seen.get(path) != mtime:
                    self._seen[path] = mtime
                    changed |= self._effects_made_of(path, entries)
        for path in sorted(changed):
            try:
                message = ShaderChanged(path, prepare_code(read_effect(path)))
            except ShaderlabError as exc:
                message = ShaderChanged(path, None, str(exc))
            except Exception as exc:  # noqa: BLE001 - one file's failure, never the watcher's
                log.exception("%s: unexpected error reading the effect", path)
                message = ShaderChanged(path, None, unforeseen(path, "read this effect", exc))
            self.inbox.put(message)
        for gone in set(self._seen) - present:
            del self._seen[gone]
            if gone.suffix in (".fs", ".native") or gone.name.endswith(MANIFEST_SUFFIX):
                self.inbox.put(ShaderRemoved(gone))

    @staticmethod
    def _effects_made_of(path: Path, entries: list[Path]) -> set[Path]:
        effects = set(effect_files(entries))
        if path.suffix == ".vs":
            return {path.with_suffix(".fs")} & effects
        if path.suffix in (".fs", ".native") or path.name.endswith(MANIFEST_SUFFIX):
            return {path} & effects
        # A .glsl may be an effect of its own and a pass or common file of the manifests here.
        return ({path} & effects) | {p for p in entries if p.name.endswith(MANIFEST_SUFFIX)}

    def run(self) -> None:
        while not self._stopping.is_set():
            try:
                self._wait_for_events()
            except Exception:  # noqa: BLE001 - a folder gone or unwatchable: poll until it is back
                log.debug("shader watcher: no file events; polling", exc_info=True)
                if not self._stopping.wait(self.interval):
                    self._scan_safely()

    def _wait_for_events(self) -> None:
        """Scan after each batch of events the folders report, until stopped."""
        from watchfiles import watch

        logging.getLogger("watchfiles").setLevel(logging.WARNING)  # not "1 change detected" per save
        folders = [str(folder) for folder in self.folders if folder.is_dir()]
        if not folders:
            raise FileNotFoundError("no folder to watch")
        # 50 ms: a save shows within a frame or two, and a burst of writes is still one scan.
        # The first (empty) answer comes once the watch is set up: a scan then catches what
        # was saved while it was being set up; later empty answers only let a stop through.
        set_up = False
        for changes in watch(*folders, stop_event=self._stopping, debounce=50, step=50, recursive=False,
                             raise_interrupt=False, rust_timeout=200, yield_on_timeout=True):
            if changes or not set_up:
                set_up = True
                self._scan_safely()

    def _scan_safely(self) -> None:
        try:
            self.scan()
        except Exception:  # noqa: BLE001 - a scan that failed is retried; hot reload goes on
            log.exception("shader watcher: scan failed; trying again")

    def stop(self) -> None:
        self._stopping.set()
