"""Which versions of the user's effects may run on the show (asked on the GL thread).

A version (the file's text, at a size) runs only after it rendered its trial frames off the
show (render/vetting.py) on a worker thread. Each version is tried once: a refusal is told
once and stands until the text changes. The chain and the shader shelf both ask here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Sequence

from shaderlab.app.messages import Message, ShaderTried
from shaderlab.isf.header import EffectSpec
from shaderlab.render.vetting import Vetter, needs_trial, version
from shaderlab.render.watchdog import DEFAULT_FRAME_TIMEOUT

PASSED, PENDING = "passed", "pending"


class Trials:
    def __init__(self, submit: Callable[[Callable[[int], Message]], int], timeout: float = DEFAULT_FRAME_TIMEOUT,
                 folders: Sequence[Path] = ()):
        self._submit = submit
        self._timeout = timeout
        self._folders = tuple(folders)
        self._vetter: Vetter | None = None  # its child process starts with the first trial
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
            self._ask(spec, tuple(size), {k: v for k, v in params.items() if not isinstance(v, str)})
        return PENDING

    def passed(self, spec: EffectSpec, size: Sequence[int]) -> bool:
        """Has this version passed at this size (without asking for a trial)?"""
        return self._timeout <= 0 or not needs_trial(spec) or (self._vetter is not None and self._vetter.passed(spec, size))

    def tried(self, message: ShaderTried) -> bool:
        """Record a verdict; True if it is a refusal to tell (each is told once)."""
        key = version(message.spec, message.size)
        self._pending.discard(key)
        if message.error is None:
            return False
        self._refused[key] = message.error
        return True

    def close(self) -> None:
        """End a trial under way now, not after its time limit."""
        if self._vetter is not None:
            self._vetter.close()

    def _ask(self, spec: EffectSpec, size: tuple[int, int], params: dict[str, Any]) -> None:
        if self._vetter is None:  # made here, on the GL thread: one child for every worker
            self._vetter = Vetter(self._timeout)
        vetter, folders = self._vetter, self._folders

        def work(job: int) -> Message:
            try:
                error = vetter.vet(spec, size, params, folders)
            except Exception as exc:  # noqa: BLE001 - a verdict always comes back
                error = f"{spec.path}: its trial failed ({type(exc).__name__}: {exc}); not started"
            return ShaderTried(spec, size, error)

        self._submit(work)
