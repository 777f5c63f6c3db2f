"""New shader code is tried off the show: compiled and rendered in a child process with a time
limit before it may run where a hang would freeze everything.

A shader stuck in an endless loop blocks the GL call that waits for it, holding the GIL, and
nothing in the process can stop it (see render/watchdog.py). So the :class:`Vetter` keeps one
child process with its own headless context: it renders a couple of trial frames of exactly
the text it is given, at the size it will run at, and answers in time, or is killed and the
effect refused. Only effects from the user's files are tried; bundled ones are ours.

The child (render/trial.py) reads one JSON request a line on stdin (``spec``: the pickled EffectSpec, ``size``,
``params``, ``shaders``) and writes to its protocol pipe the watch lines of render/watchdog.py
(``B what`` as each compile and effect starts, ``E``), then ``{"ok": true}`` or
``{"error": "file:line: …"}`` (a compile error: the same one the show's own compile would
give). ``{"ready": true}`` once its context exists. Its stdout is its stderr, so a driver's
chatter cannot break the protocol.
"""

from __future__ import annotations

import base64
import json
import math
import os
import pickle
import subprocess
import sys
import tempfile
import threading
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, Sequence

from shaderlab.errors import ShaderlabError
from shaderlab.isf.header import EffectSpec
from shaderlab.paths import shaders_dir
from shaderlab.render.watchdog import DEFAULT_FRAME_TIMEOUT, TIMEOUT, LineReader, started

#: Frames rendered in a trial: the first compiles the driver's variants, the second runs with
#: feedback buffers holding a frame (code paths that only start on frame 2 are tried too).
TRIAL_FRAMES = 2
#: How long the child may take to start (imports and a GL context), apart from the budget.
STARTUP_TIMEOUT = 60.0


@lru_cache(maxsize=1024)
def is_bundled(path: Path) -> bool:
    """Is ``path`` one of shaderlab's own effects (asked every frame: remembered)?"""
    try:
        Path(path).resolve().relative_to(shaders_dir().resolve())
        return True
    except ValueError:
        return False


def needs_trial(spec: EffectSpec) -> bool:
    """Code from the user's files; native effects only declare our own programs."""
    return spec.path.suffix != ".native" and not is_bundled(spec.path)


def version(spec: EffectSpec, size: Sequence[int]) -> tuple:
    """What a verdict holds for: this text of this file at this size. (A str caches its hash,
    so this is cheap every frame, even for a 100,000-line file.)"""
    return (spec.path, hash(spec.source), hash(spec.vertex), tuple(size))


class TrialsUnavailable(ShaderlabError):
    """No trial could be run (the helper process did not start, or trials were closed): no
    verdict on the shader, which is asked again later."""


class Vetter:
    """Tries effects in a child process, one trial at a time (the window's workers, the API)."""

    def __init__(self, timeout: float = DEFAULT_FRAME_TIMEOUT):
        self.timeout = timeout
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._reader: LineReader | None = None
        self._log: IO[bytes] | None = None
        self._passed: set[tuple] = set()
        self._passed_texts: set[tuple] = set()  # (path, text hashes) that passed at some size
        self._closed = False

    def passed(self, spec: EffectSpec, size: Sequence[int] | None = None) -> bool:
        """Has this version passed at this size (None: at any size), or needs no trial?"""
        if self.timeout <= 0 or not needs_trial(spec):
            return True
        return version(spec, size) in self._passed if size is not None else version(spec, ())[:3] in self._passed_texts

    def vet(self, spec: EffectSpec, size: Sequence[int], params: dict[str, Any] | None = None,
            shaders: Sequence[Path] = ()) -> str | None:
        """None when ``spec`` rendered its trial frames at ``size`` within the time limit (or
        needs no trial); else why not, in one line. Passes are remembered. Raises
        :class:`TrialsUnavailable` when no trial could be run at all."""
        if self.passed(spec, size):
            return None
        values = {k: v for k, v in (params or {}).items() if _plain(v)}
        request = {
            "spec": base64.b64encode(pickle.dumps(spec)).decode("ascii"),
            "size": list(size), "params": values, "shaders": [str(s) for s in shaders],
        }
        with self._lock:
            error = self._ask(request, spec.path)
        if error is None:
            self._passed.add(version(spec, size))
            self._passed_texts.add(version(spec, ())[:3])
        return error

    def _ask(self, request: dict[str, Any], path: Path) -> str | None:
        problem = self._start()
        if problem:
            raise TrialsUnavailable(problem)
        process, reader = self._process, self._reader
        try:
            process.stdin.write((json.dumps(request) + "\n").encode())
            process.stdin.flush()
        except (OSError, ValueError):  # the child is gone (or was closed meanwhile)
            return self._died(path)
        # Each compile and each effect's frame must end within the budget.
        running = "a trial frame"
        while True:
            line = reader.line(self.timeout)
            if line == TIMEOUT:
                self._stop()
                return (f"{path}: {running} did not finish within {self.timeout:g} s in a trial run "
                        "(a loop that never ends, or far too much work per pixel); not started — fix it, or "
                        "allow more time (--frame-timeout, Renderer(frame_timeout=))")
            if line is None:
                return self._died(path)
            if started(line) is not None:
                running = started(line)
            elif line != "E":
                break
        try:
            answer = json.loads(line)
        except ValueError:
            return self._died(path)
        return answer.get("error") if isinstance(answer, dict) and "ok" not in answer else None

    def _died(self, path: Path) -> str:
        """The child ended mid-trial: a driver crash, or closed at exit."""
        process, log = self._process, self._log
        code = process.poll() if process else None
        detail = ""
        if log is not None:
            try:
                log.seek(0)
                lines = [l for l in log.read().decode("utf-8", "replace").splitlines() if l.strip()]
                detail = f": {lines[-1].strip()[:200]}" if lines else ""
            except (OSError, ValueError):
                pass
        self._stop()
        return f"{path}: the GL driver failed trying it (exit status {code}{detail}); not started"

    def _start(self) -> str | None:
        if self._process is not None and self._process.poll() is None:
            return None
        self._stop()
        if self._closed:
            return "shader trials are closed"
        self._log = tempfile.TemporaryFile(prefix="shaderlab-trials-")
        read_end, write_end = os.pipe()
        self._process = subprocess.Popen(
            [sys.executable, "-m", "shaderlab.render.trial", str(write_end)],
            stdin=subprocess.PIPE, stdout=self._log, stderr=self._log, pass_fds=(write_end,),
        )
        os.close(write_end)
        self._reader = LineReader(read_end)
        ready = self._reader.line(STARTUP_TIMEOUT)
        if ready in (None, TIMEOUT) or '"ready"' not in ready:
            self._stop()
            return ("shader trials are off: their helper process did not start; "
                    "user effects wait (--frame-timeout 0 runs them untried)")
        return None

    def _stop(self) -> None:
        process, reader, log = self._process, self._reader, self._log
        self._process = self._reader = self._log = None
        if process is not None:
            process.kill()
            process.wait()
            process.stdin.close()
        if reader is not None:
            os.close(reader.fd)
        if log is not None:
            log.close()

    def close(self) -> None:
        """Stop the child for good. A trial under way sees it end at once (and answers as a
        failure), also one whose child is still starting."""
        self._closed = True
        while not self._lock.acquire(timeout=0.05):
            process = self._process
            if process is not None:
                process.kill()  # the reader sees the pipe close and lets go of the lock
        try:
            self._stop()
        finally:
            self._lock.release()


def _plain(value: Any) -> bool:
    """Values that cross to the child as JSON (image inputs stay behind: they see the source)."""
    if isinstance(value, (bool, int)):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, (tuple, list)) and all(isinstance(v, (int, float)) for v in value)
