"""A frame time budget for the command line: a shader that never finishes ends the run with one
line naming the effect (exit 2), instead of blocking for ever.

A GL call stuck in the driver holds the GIL and cannot be interrupted from inside the process
(llvmpipe has no GPU reset; real drivers reset after seconds and may take the context with
them). So the command forks before any GL exists: the child renders and tells the parent,
through a pipe, which effect it is running; the parent only watches the clock, and kills the
child when one effect runs past the budget.
"""

from __future__ import annotations

import os
import select
import signal
import sys
import time
from typing import Callable

#: The default budget for one effect's work in one frame (or one compile), in seconds. Generous
#: for a CPU rasteriser at 4K; a loop that never ends still stops in seconds.
DEFAULT_FRAME_TIMEOUT = 10.0


class FrameWatch:
    """The renderer's side: says what it starts and when the frame is done."""

    def __init__(self, fd: int):
        self._fd = fd

    def begin(self, what: str) -> None:
        self._send(f"B {what}")

    def done(self) -> None:
        self._send("E")

    def _send(self, line: str) -> None:
        try:
            os.write(self._fd, (line.replace("\n", " ") + "\n").encode("utf-8", "replace"))
        except OSError:  # the supervisor is gone: so is the run it was watching
            os._exit(128 + signal.SIGTERM)


class FrameTimeout(Exception):
    """Raised in the supervising process: ``what`` ran past ``seconds``."""

    def __init__(self, what: str, seconds: float):
        super().__init__(what)
        self.what = what
        self.seconds = seconds


def run_supervised(work: Callable[[FrameWatch | None], int], budget: float) -> int:
    """``work(watch)``'s exit code, run in a child process whose every effect must finish within
    ``budget`` seconds; raises :class:`FrameTimeout` when one does not. Without fork (Windows)
    or with a budget of 0, ``work(None)`` runs here, unwatched."""
    if budget <= 0 or not hasattr(os, "fork"):
        return work(None)
    read_end, write_end = os.pipe()
    parent = os.getpid()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: does the work, reports to the pipe
        os.close(read_end)
        _die_with_parent(parent)
        code = 1
        try:
            code = work(FrameWatch(write_end))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            import traceback

            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    os.close(write_end)
    return _supervise(pid, read_end, budget)


def _supervise(pid: int, read_end: int, budget: float) -> int:
    # ctrl+C reaches the child too (one process group); it ends itself and we report its code.
    previous_int = signal.signal(signal.SIGINT, signal.SIG_IGN)
    previous_term = signal.signal(signal.SIGTERM, lambda *_: _kill_and_exit(pid))
    running: tuple[str, float] | None = None
    pending = b""
    try:
        while True:
            wait = None if running is None else max(0.0, running[1] + budget - time.monotonic())
            ready, _, _ = select.select([read_end], [], [], wait)
            if not ready:
                _kill(pid)
                raise FrameTimeout(running[0], budget)
            chunk = os.read(read_end, 4096)
            if not chunk:  # the child closed the pipe: it has exited
                return _exit_code(pid)
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                text = line.decode("utf-8", "replace")
                running = (text[2:], time.monotonic()) if text.startswith("B ") else None
    finally:
        os.close(read_end)
        signal.signal(signal.SIGINT, previous_int)
        signal.signal(signal.SIGTERM, previous_term)


def _die_with_parent(parent: int) -> None:
    """A supervisor killed outright (SIGKILL) must not leave its child rendering, holding the
    output's claim: Linux ends the child with it; elsewhere the next report to it does."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it died before prctl took effect
        os._exit(128 + signal.SIGKILL)


def _exit_code(pid: int) -> int:
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    return 128 - code if code < 0 else code  # killed by a signal: the shell's convention


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def _kill_and_exit(pid: int) -> None:
    _kill(pid)
    os._exit(128 + signal.SIGTERM)
