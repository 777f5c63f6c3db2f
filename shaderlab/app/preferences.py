"""What the show remembers from one run to the next: ``settings.toml`` in shaderlab's config
folder (``$XDG_CONFIG_HOME/shaderlab``, else ``~/.config/shaderlab``), beside the MIDI profiles.

Today that is the monitor the clean output goes to, by name (``[output] monitor``). The file is
read once at start (a broken one is one line and forgotten) and written beside its name and
moved there, on a thread of its own: a remembered choice never costs a frame.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any, Callable

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

log = logging.getLogger(__name__)

Report = Callable[..., None]


def config_dir() -> Path:
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "shaderlab"


class Preferences:
    """``settings.toml`` as sections of plain values; ``remember`` writes it in the background."""

    def __init__(self, path: Path | None = None, report: Report | None = None):
        self.path = Path(path) if path is not None else config_dir() / "settings.toml"
        self._report = report or (lambda text, **_: log.warning(text))
        self._lock = threading.Lock()  # one write at a time
        self._remembered = 0  # how many choices were remembered; the file holds the newest written
        self._written = 0
        self._values: dict[str, dict[str, Any]] = self._read()

    def get(self, section: str, key: str, default: Any = None) -> Any:
        return self._values.get(section, {}).get(key, default)

    def remember(self, section: str, key: str, value: Any) -> threading.Thread | None:
        """Keep ``value`` for the next run; None when it was remembered already, else the
        thread writing the file (joined only by tests)."""
        if self.get(section, key) == value:
            return None
        self._values.setdefault(section, {})[key] = value
        self._remembered += 1
        snapshot = {name: dict(entries) for name, entries in self._values.items()}
        writer = threading.Thread(target=self._write, args=(snapshot, self._remembered),
                                  name="shaderlab-preferences", daemon=True)
        writer.start()
        return writer

    def _read(self) -> dict[str, dict[str, Any]]:
        try:
            data = tomllib.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            self._report(f"{self.path}: cannot read the remembered settings ({exc}); starting without them",
                         warning=True)
            return {}
        return {name: dict(entries) for name, entries in data.items() if isinstance(entries, dict)}

    def _write(self, values: dict[str, dict[str, Any]], generation: int) -> None:
        import tomli_w

        from shaderlab.errors import ShaderlabError
        from shaderlab.io.atomic import write_new

        with self._lock:
            if generation < self._written:
                return  # a later choice is in the file already (threads take the lock in any order)
            self._written = generation
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                write_new(self.path, tomli_w.dumps(values).encode(), overwrite=True)
            except OSError as exc:
                self._report(f"{self.path.parent}: cannot keep settings there ({exc.strerror or exc}); "
                             "they last until the show ends", warning=True)
            except ShaderlabError as exc:
                self._report(f"{exc}; the settings last until the show ends", warning=True)
