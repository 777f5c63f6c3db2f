"""Which versions of the user's effects may run on the show (asked on the GL thread).

A version (the file's text, at a size) runs only after it rendered its trial frames off the
show (render/vetting.py). Trials run one at a time on a thread of their own, so a folder of
new files never holds up saving or loading; the verdict comes back through the window's inbox.
Each version is tried once: a refusal is told once and stands until the text changes. When
no trial can be run at all (the helper did not start), there is no verdict: it is asked again.
The chain and the shader shelf both ask here.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Sequence

from shaderlab.show.messages import Message, ShaderTried
from shaderlab.isf.header import EffectSpec
from shaderlab.render.vetting import TrialsUnavailable, Vetter, version
from shaderlab.render.watchdog import DEFAULT_FRAME_TIMEOUT

PASSED, PENDING = "passed", "pending"


class Trials:
    def __init__(self, post: Callable[[Message], None], timeout: float = DEFAULT_FRAME_TIMEOUT,
                 folders: Sequence[Path] = ()):
        self._post = post
        self._folders = tuple(folders)
        self._vetter = Vetter(timeout)  # its child process starts with the first trial
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="shaderlab-trials")
        self._pending: set[tuple] = set()
        self._refused: dict[tuple, str] = {}

    def verdict(self, spec: EffectSpec, size: Sequence[int], params: dict[str, Any]) -> str:
        """PASSED, PENDING (a trial is asked for now if none is under way), or why it is refused."""
        if self.passed(spec, size):
            return PASSED
        key = version(spec, size)
        if key in self._refused:
            return self._refused[key]
        if key not in self._pending:
            self._pending.add(key)
            self._ask(spec, tuple(size), params)
        return PENDING

    def passed(self, spec: EffectSpec, size: Sequence[int] | None) -> bool:
        """Has this version passed at this size (None: at any size), without asking for a trial?"""
        return self._vetter.passed(spec, size)

    def refused(self, spec: EffectSpec, size: Sequence[int]) -> bool:
        return version(spec, size) in self._refused

    def tried(self, message: ShaderTried) -> bool:
        """Record a verdict; True if it is a refusal to tell (each is told once)."""
        key = version(message.spec, message.size)
        self._pending.discard(key)
        if message.error is None or message.unavailable:
            return False  # passed, or no trial at all: asked again when next needed
        self._refused[key] = message.error
        return True

    def close(self) -> None:
        """End a trial under way now, not after its time limit; no more are run."""
        self._vetter.close()
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _ask(self, spec: EffectSpec, size: tuple[int, int], params: dict[str, Any]) -> None:
        vetter, folders = self._vetter, self._folders

        def work() -> None:
            try:
                message = ShaderTried(spec, size, vetter.vet(spec, size, params, folders))
            except TrialsUnavailable as exc:
                message = ShaderTried(spec, size, str(exc), unavailable=True)
            except Exception as exc:  # noqa: BLE001 - a verdict always comes back
                message = ShaderTried(spec, size, f"{spec.path}: its trial failed ({type(exc).__name__}: {exc}); not started")
            self._post(message)

        self._pool.submit(work)
