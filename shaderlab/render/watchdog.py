"""A frame time budget for the command line: a shader that never finishes ends the run with one
line naming the effect (exit 2), instead of blocking for ever.

A GL call stuck in the driver holds the GIL and cannot be interrupted from inside the process
(llvmpipe has no GPU reset; real drivers reset after seconds and may take the context with
them). So the command forks before any GL exists: the child renders and tells the parent,
through a pipe, which effect it is running; the parent only watches the clock, and kills the
child when one effect runs past the budget. The trials of new code (render/vetting.py) speak
the same lines to their parent.
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
#: What :meth:`LineReader.line` answers when no line came in time.
TIMEOUT = "timeout"


class FrameWatch:
    """The renderer's side: says what it starts (``B what``) and when the frame is done (``E``)."""

    def __init__(self, fd: int):
        self._fd = fd

    def begin(self, what: str) -> None:
        self.send(f"B {what}")

    def done(self) -> None:
        self.send("E")

    def send(self, line: str) -> None:
        try:
            os.write(self._fd, (line.replace("\n", " ") + "\n").encode("utf-8", "replace"))
        except OSError:  # the watcher is gone: so is the run it was watching
            os._exit(128 + signal.SIGTERM)


def started(line: str) -> str | None:
    """What a watch line says has started, if it says so."""
    return line[2:] if line.startswith("B ") else None


class LineReader:
    """Lines from a pipe, each waited for no longer than asked."""

    def __init__(self, fd: int):
        self.fd = fd
        self._pending = b""

    def line(self, timeout: float | None) -> str | None:
        """The next line; :data:`TIMEOUT` when none came in ``timeout`` seconds (None: no
        limit); None when the writer closed the pipe."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while b"\n" not in self._pending:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not select.select([self.fd], [], [], wait)[0]:
                return TIMEOUT
            chunk = os.read(self.fd, 65536)
            if not chunk:
                return None
            self._pending += chunk
        line, self._pending = self._pending.split(b"\n", 1)
        return line.decode("utf-8", "replace")


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
        die_with_parent(parent)
        code = 1
        try:
            code = work(FrameWatch(write_end))
        except SystemExit as exc:
            code = 0 if exc.code is None else exc.code if isinstance(exc.code, int) else 1
            if not isinstance(exc.code, (int, type(None))):
                print(exc.code, file=sys.stderr)
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
    previous_term = signal.signal(signal.SIGTERM, lambda *_: _kill_and_exit(pid))
    reader = LineReader(read_end)
    running: tuple[str, float] | None = None
    try:
        while True:
            wait = None if running is None else max(0.0, running[1] + budget - time.monotonic())
            line = reader.line(wait)
            if line is None:  # the child closed the pipe: it has exited
                return _exit_code(pid)
            if line == TIMEOUT:
                _kill(pid)
                raise FrameTimeout(running[0], budget)
            what = started(line)
            running = (what, time.monotonic()) if what is not None else None
    except KeyboardInterrupt:
        # ctrl+C reached the child too (one process group); a child stuck in a GL call cannot
        # act on it, so it gets a moment, then is killed.
        if not _ended_within(pid, 1.0):
            _kill(pid)
        return 130
    finally:
        os.close(read_end)
        signal.signal(signal.SIGTERM, previous_term)


def _ended_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return True
        except ChildProcessError:
            return True
        time.sleep(0.02)
    return False


def die_with_parent(parent: int) -> None:
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
