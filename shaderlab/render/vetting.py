"""New shader code is tried off the show: compiled and rendered in a child process with a time
limit before it may run where a hang would freeze everything.

A shader stuck in an endless loop blocks the GL call that waits for it, holding the GIL, and
nothing in the process can stop it (see render/watchdog.py). So the :class:`Vetter` keeps one
child process with its own headless context: it renders a couple of trial frames of the
effect at the size it will run at, and answers in time, or is killed and the effect refused.
Only effects from the user's files are vetted; bundled ones are ours.

The child speaks JSON lines on stdin/stdout: ``{"effect", "shaders", "size", "params"}`` in;
``{"begin": "..."}`` as each compile and frame starts, then ``{"ok": true}`` or
``{"error": "..."}`` out; ``{"ready": true}`` once its context exists.
"""

from __future__ import annotations

import json
import math
import os
import select
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from shaderlab.paths import shaders_dir
from shaderlab.render.watchdog import DEFAULT_FRAME_TIMEOUT

#: Frames rendered in a trial: the first compiles the driver's variants, the second runs with
#: feedback buffers holding a frame (code paths that only start on frame 2 are tried too).
TRIAL_FRAMES = 2
#: How long the child may take to start (imports and a GL context), apart from the budget.
STARTUP_TIMEOUT = 60.0


def is_bundled(path: Path) -> bool:
    try:
        Path(path).resolve().relative_to(shaders_dir().resolve())
        return True
    except ValueError:
        return False


class Vetter:
    """Tries effects in a child process; one caller at a time (a worker thread, or the API)."""

    def __init__(self, timeout: float = DEFAULT_FRAME_TIMEOUT):
        self.timeout = timeout
        self._lock = threading.Lock()  # the window's two workers may both ask
        self._process: subprocess.Popen | None = None
        self._pending = b""
        self._passed: set[tuple] = set()

    def vet(self, path: Path, source: str, size: tuple[int, int], params: dict[str, Any] | None = None,
            shaders: list[Path] | tuple = ()) -> str | None:
        """None when ``path`` (whose text is ``source``) rendered its trial frames at ``size``
        within the time limit; else why not, in one line. Passing results are remembered."""
        values = {k: v for k, v in (params or {}).items() if _plain(v)}
        key = (str(path), source, tuple(size), json.dumps(values, sort_keys=True))
        if self.timeout <= 0 or key in self._passed:
            return None
        request = {"effect": str(path), "shaders": [str(s) for s in shaders], "size": list(size), "params": values}
        with self._lock:
            answer = self._ask(request, Path(path))
        if answer is None:
            self._passed.add(key)
        return answer

    def _ask(self, request: dict[str, Any], path: Path) -> str | None:
        process = self._started()
        if isinstance(process, str):
            return process
        try:
            process.stdin.write((json.dumps(request) + "\n").encode())
            process.stdin.flush()
        except OSError:
            return self._died(path)
        # The child says when it starts each compile and each effect's frame: each must end in time.
        running = "a trial frame"
        answer = self._read_line(self.timeout)
        while isinstance(answer, dict) and "begin" in answer:
            running = str(answer["begin"])
            answer = self._read_line(self.timeout)
        if answer == "timeout":
            self.close()
            return (f"{path}: {running} did not finish within {self.timeout:g} s in a trial run "
                    "(a loop that never ends, or far too much work per pixel); not started")
        if answer is None:
            return self._died(path)
        # A compile error here is the same one the show's own compile reports: not ours to say.
        return None if "ok" in answer or "error" in answer else self._died(path)

    def _died(self, path: Path) -> str:
        code = self._process.poll() if self._process else None
        self.close()
        return f"{path}: the GL driver crashed trying it (exit status {code}); not started"

    def _started(self) -> subprocess.Popen | str:
        if self._process is not None and self._process.poll() is None:
            return self._process
        self._process = subprocess.Popen(
            [sys.executable, "-m", "shaderlab.render.vetting"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )
        self._pending = b""
        ready = self._read_line(STARTUP_TIMEOUT)
        if not isinstance(ready, dict) or not ready.get("ready"):
            self.close()
            return "shader trials are off: their helper process did not start"
        return self._process

    def _read_line(self, timeout: float) -> dict | str | None:
        """The child's next answer; "timeout" when none came in time; None when it is gone."""
        fd = self._process.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self._pending:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                return "timeout"
            chunk = os.read(fd, 65536)
            if not chunk:
                return None
            self._pending += chunk
        line, self._pending = self._pending.split(b"\n", 1)
        try:
            answer = json.loads(line)
        except ValueError:
            return None
        return answer if isinstance(answer, dict) else None

    def close(self) -> None:
        """Stop the child (a trial under way is answered as a crash)."""
        process, self._process = self._process, None
        if process is not None:
            process.kill()
            process.wait()
            for stream in (process.stdin, process.stdout):
                stream.close()


def _plain(value: Any) -> bool:
    """Values that cross to the child as JSON (image inputs stay behind: they see the source)."""
    if isinstance(value, (bool, int)):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, (tuple, list)) and all(isinstance(v, (int, float)) for v in value)


def _usable(renderer, effect: str, params: dict[str, Any]) -> dict[str, Any]:
    """The values the new version can take: a header edit may have removed or narrowed inputs
    (the show keeps what still fits, see app/effects.py); the rest run at their defaults."""
    from shaderlab.errors import ShaderlabError
    from shaderlab.params import check_value

    spec = renderer.programs.get(effect).spec
    usable = {}
    for name, value in params.items():
        declared = spec.input(name)
        if declared is None or declared.is_image:
            continue
        try:
            usable[name] = check_value(spec.name, declared, value)
        except ShaderlabError:
            pass
    return usable


class _Progress:
    """The child's watch (the interface of watchdog.FrameWatch): tells the parent what starts."""

    def begin(self, what: str) -> None:
        print(json.dumps({"begin": what}), flush=True)

    def done(self) -> None:
        pass


def _serve() -> None:
    """The child: a renderer of its own, one trial per line."""
    import numpy as np

    from shaderlab.errors import ShaderlabError
    from shaderlab.render.renderer import Renderer

    renderers: dict[tuple[str, ...], Renderer] = {}
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        folders = tuple(request["shaders"])
        try:
            if folders not in renderers:
                renderers[folders] = Renderer(folders, vet=False, watch=_Progress())
            renderer = renderers[folders]
            width, height = request["size"]
            picture = np.full((height, width, 3), 128, np.uint8)
            chain = [(request["effect"], _usable(renderer, request["effect"], request["params"]))]
            for frame in range(TRIAL_FRAMES):
                renderer.render(picture, chain, time=frame / 60.0)
            answer: dict[str, Any] = {"ok": True}
        except ShaderlabError as exc:
            answer = {"error": str(exc)}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    _serve()
