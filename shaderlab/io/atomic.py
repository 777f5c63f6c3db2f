"""Every output goes through here: claimed at once, written beside its final name, moved there
at the end.

A kill or a full disk therefore never leaves a half-written file at the final name, and two
writers of the same name never both succeed. The claim is a lock file beside the output
(``.NAME.lock``) held with ``flock``: the kernel drops it when its process dies, so a killed
render never blocks the next one; the next one also removes what the killed one left behind.
Every OSError met while writing becomes one line, ``PATH: cannot write (reason); what to do``.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
from pathlib import Path

from shaderlab.errors import ShaderlabError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: the lock file's existence is the claim
    fcntl = None  # type: ignore[assignment]

_ADVICE = {
    errno.ENOSPC: "free some space or write elsewhere",
    errno.EDQUOT: "free some space or write elsewhere",
    errno.EROFS: "choose a folder you can write to",
    errno.EACCES: "choose a folder you can write to",
    errno.EPERM: "choose a folder you can write to",
    errno.ENAMETOOLONG: "choose a shorter name",
    errno.EISDIR: "it is a folder; choose a file name",
    errno.ENOENT: "choose an existing folder you can write to",
    errno.ENOTDIR: "choose an existing folder you can write to",
}


class OutputExists(ShaderlabError, FileExistsError):
    """The output's name is taken (or being written by another shaderlab)."""


def advice(code: int | None) -> str:
    return _ADVICE.get(code or 0, "choose another name or folder")


def cannot_write(path: Path, exc: OSError) -> ShaderlabError:
    """The one-line message for an OSError met while writing ``path``."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    return ShaderlabError(f"{path}: cannot write ({reason}); {advice(exc.errno)}")


def refuse_existing(path: Path, overwrite: bool = False, folder: bool = False, hint: str = "") -> None:
    """Raise unless ``path`` may be written: new, an empty folder (folders), or a file (overwrite).
    ``hint`` ends the "exists already" message (like " or pass --overwrite")."""
    try:
        _check_name_length(path)
        if not path.parent.is_dir():
            raise ShaderlabError(f"{path.parent}: no such folder")
        if folder:
            if path.exists() and (not path.is_dir() or any(path.iterdir())):
                raise OutputExists(f"{path}: exists and is not an empty folder; choose another name")
        elif path.is_dir():
            raise ShaderlabError(f"{path}: is a folder; choose a file name")
        elif path.exists() and not overwrite:
            raise OutputExists(f"{path}: exists already; choose another name{hint}")
    except OSError as exc:
        if isinstance(exc, ShaderlabError):
            raise
        raise cannot_write(path, exc) from None


class Output:
    """A claim on ``path``; write ``temporary`` (a file, or a folder with ``folder``), then
    ``commit()`` moves it into place, or ``discard()`` removes it. As a context manager it
    commits on success, discards on an exception, and turns OSError into ``cannot_write``.
    """

    def __init__(self, path: Path, overwrite: bool = False, folder: bool = False, hint: str = ""):
        self.path = Path(path)
        self.overwrite = overwrite
        self.folder = folder
        self.temporary = _temporary_of(self.path)
        self._lock_path = _lock_of(self.path)
        self._lock_fd: int | None = None
        try:
            refuse_existing(self.path, overwrite, folder, hint)
            self._lock_fd = _lock(self._lock_path, self.path)
            refuse_existing(self.path, overwrite, folder, hint)  # another writer may have finished meanwhile
            _remove(self.temporary)  # left by a killed writer: we hold the claim, so it is nobody's
            if folder:
                os.mkdir(self.temporary)
        except BaseException as exc:
            self._release()
            if isinstance(exc, OSError) and not isinstance(exc, ShaderlabError):
                raise cannot_write(self.path, exc) from None
            raise

    def commit(self) -> None:
        """Move the temporary into place (never over an existing output unless overwrite)."""
        try:
            if self.folder:
                try:
                    os.rename(self.temporary, self.path)  # replaces an empty folder only
                except OSError as exc:
                    if exc.errno in (errno.ENOTEMPTY, errno.EEXIST, errno.ENOTDIR):
                        raise OutputExists(f"{self.path}: exists and is not an empty folder; choose another name") from None
                    raise
            else:
                _sync(self.temporary)
                if self.overwrite:
                    os.replace(self.temporary, self.path)
                else:
                    _link_new(self.temporary, self.path)
        except ShaderlabError:
            self.discard()
            raise
        except OSError as exc:
            self.discard()
            raise cannot_write(self.path, exc) from None
        self._release()

    def discard(self) -> None:
        _remove(self.temporary)
        self._release()

    def __enter__(self) -> "Output":
        return self

    def __exit__(self, kind, exc, tb) -> None:
        if exc is None:
            self.commit()
            return
        self.discard()
        if isinstance(exc, OSError) and not isinstance(exc, ShaderlabError):
            raise cannot_write(self.path, exc) from None

    def _release(self) -> None:
        if self._lock_fd is None:
            return
        try:
            os.unlink(self._lock_path)  # before closing: a waiter on this inode must retry
        except OSError:
            pass
        os.close(self._lock_fd)
        self._lock_fd = None


def write_new(path: Path, data: bytes, overwrite: bool = False) -> None:
    """Create ``path`` with ``data`` all at once. Raises OutputExists (a FileExistsError and a
    ShaderlabError) rather than replace a file, unless ``overwrite``."""
    with Output(path, overwrite) as output:
        with open(output.temporary, "wb") as handle:
            handle.write(data)


def clear_leftovers(path: Path) -> None:
    """Remove what a killed writer of ``path`` left beside it (its temporary and its lock),
    unless another writer holds the claim now. (Its next writer does this too.)"""
    path = Path(path)
    lock_path = _lock_of(path)
    if not lock_path.exists():
        return
    try:
        fd = _lock(lock_path, path)
    except (ShaderlabError, OSError):
        return  # someone is writing it
    _remove(_temporary_of(path))
    try:
        os.unlink(lock_path)
    except OSError:
        pass
    os.close(fd)


def _temporary_of(path: Path) -> Path:
    # clip.mp4 is written as .clip.partial.mp4 (the suffix tells ffmpeg the format)
    return _beside(path, f".{path.stem}.partial{path.suffix}")


def _lock_of(path: Path) -> Path:
    return _beside(path, f".{path.name}.lock")


def _beside(path: Path, name: str) -> Path:
    """A hidden name in the same folder (same file system, so the final move is a rename)."""
    if len(os.fsencode(name)) > 200:
        digest = hashlib.sha1(os.fsencode(path.name)).hexdigest()[:16]
        name = f".shaderlab-{digest}{name[-12:]}"
    return path.with_name(name)


def _check_name_length(path: Path) -> None:
    try:
        limit = os.pathconf(path.parent, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        limit = 255
    if len(os.fsencode(path.name)) > limit:
        raise OSError(errno.ENAMETOOLONG, os.strerror(errno.ENAMETOOLONG))


def _lock(lock_path: Path, path: Path) -> int:
    """Hold the claim on ``path``: an exclusive flock on its lock file, taken without waiting."""
    for _ in range(20):
        if fcntl is None:  # pragma: no cover
            try:
                return os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                raise OutputExists(f"{path}: exists already (being written, or {lock_path.name} was left); choose another name") from None
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise OutputExists(f"{path}: exists already (another shaderlab is writing it); choose another name") from None
        try:
            if os.stat(lock_path).st_ino == os.fstat(fd).st_ino:
                return fd
        except FileNotFoundError:
            pass
        os.close(fd)  # the previous holder removed it as we took it: take the new one
    raise OutputExists(f"{path}: exists already (another shaderlab is writing it); choose another name")


def _link_new(temporary: Path, path: Path) -> None:
    """Give ``temporary`` the final name unless that is taken (a hard link cannot replace)."""
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise OutputExists(f"{path}: exists already; choose another name") from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
        if path.exists():  # a file system without hard links: rename, checked under the claim
            raise OutputExists(f"{path}: exists already; choose another name") from None
        os.rename(temporary, path)
        return
    os.unlink(temporary)


def _sync(path: Path) -> None:
    """Flush to the disk before the rename, so a full disk shows up here, not later."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink()
    except OSError:
        pass
