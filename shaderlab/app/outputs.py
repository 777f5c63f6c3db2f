"""Where the show goes besides the panel's window: the clean output's own window (app/output.py),
the output shared with other software (app/sharing.py) and the show log (app/show_log.py) —
started from the command line, fed once a frame after the stage rendered, closed at exit."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from shaderlab.app.output import OutputWindow, find_monitor, monitor_name
from shaderlab.app.preferences import Preferences
from shaderlab.app.sharing import Sharing, start_sharing
from shaderlab.app.show_log import ShowLogWriter
from shaderlab.errors import ShaderlabError
from shaderlab.stage.moving import ClipPicture
from shaderlab.show.commands import Say
from shaderlab.show.settings import OUTPUT_MONITOR

if TYPE_CHECKING:
    from shaderlab.app.window import ShaderlabWindow


class Outputs:
    def __init__(self, app: "ShaderlabWindow"):
        self.app = app
        self.window: OutputWindow | None = None
        self.sharing: Sharing | None = None
        self.show_log: ShowLogWriter | None = None
        # A log begun mid-show waits for the pictures it starts from (read back), its frames kept.
        self._seeds: dict[str, np.ndarray] = {}
        self._seeds_due = 0
        self._waiting: list[tuple] = []
        self._sharing_tried = False
        self._share: Any = None
        self._monitor: str | None = None  # the choice the output window follows (OUTPUT_MONITOR)
        self.preferences: Preferences | None = None

    def start(self, share: Any) -> None:
        """At start (the GL context made): the output window, on the monitor asked for or, with
        --output alone, the one chosen last time (remembered: app/preferences.py), and the
        output's resolution."""
        app, options = self.app, self.app.options
        self._share = share
        self.preferences = Preferences(report=lambda text, **kind: app.inbox.put(Say(text, **kind)))
        given = getattr(options, "output_monitor", None)
        asked = str(given) if given is not None else None
        if asked is None and getattr(options, "output", False):
            remembered = self.preferences.get("output", "monitor", "")
            asked = remembered if isinstance(remembered, str) else ""
        if asked is not None:
            if app.store.addresses(OUTPUT_MONITOR):
                try:  # checked as the setting before anything is remembered
                    app.store.set(OUTPUT_MONITOR, asked)
                except ShaderlabError as exc:  # not one line of text
                    if given is not None:
                        raise ShaderlabError(f"--output-monitor {asked!r}: {exc}") from None
                    app.report(f"{self.preferences.path}: the remembered monitor cannot be used ({exc}); "
                               "the output opens in a window", warning=True)
                    asked = ""
            if given is not None:
                named = self._remember(asked)
                if named != asked and app.store.addresses(OUTPUT_MONITOR):
                    app.store.set(OUTPUT_MONITOR, named)  # the monitor's full name, as the panel lists it
                asked = named
            self._monitor = asked
            self._open(asked)
        size = getattr(options, "output_size", None)
        if size is not None and max(size) > app.stage.max_side:
            app.report(f"--output-size {size[0]}x{size[1]} is more than this GL can draw "
                       f"({app.stage.max_side} pixels a side); the output keeps the picture's size", error=True)
            size = None
        app.stage.finish.size = size

    def frame(self, sort_request: tuple[str | None, bool] | None) -> None:
        """After the stage rendered a frame: into the show log, and out to the sinks."""
        self._log(sort_request)
        stage = self.app.stage
        if self.sharing is None and not self._sharing_tried and stage.shown is not None:
            self._sharing_tried = True
            self.sharing = start_sharing(self.app.options, tuple(stage.shown.size), self.app.report,
                                         self.app.inbox.put)
        if self.sharing is not None:
            stage.read_output_later(self.sharing.offer, shown=True)

    def show(self) -> None:
        """The output window's frame (after the panel's window drew its own)."""
        self._follow_choice()
        if self.window is not None:
            stage = self.app.stage
            self.window.show(stage.shown if stage.source is not None else None)

    def _open(self, monitor: str) -> None:
        try:
            size = getattr(self.app.options, "output_size", None) or (1280, 720)
            self.window = OutputWindow(self._share, monitor or None, size, self.app.report)
        except ShaderlabError as exc:
            self.app.report(str(exc), error=True)

    def _follow_choice(self) -> None:
        """The monitor chosen in the panel or over OSC: the output window moves there (opened
        first if there is none and a monitor is chosen), and the choice is remembered."""
        store = self.app.store
        if not store.addresses(OUTPUT_MONITOR):
            return
        wanted = str(store.get(OUTPUT_MONITOR) or "")
        if wanted == (self._monitor or ""):
            return
        named = self._remember(wanted)
        if named != wanted:  # the monitor's full name, as the panel lists it
            store.set(OUTPUT_MONITOR, named)
        self._monitor = named
        if self.window is not None:
            self.window.choose(named or None)
        elif named:
            self._open(named)

    def _remember(self, choice: str) -> str:
        """Keep the choice for the next run, by the monitor's full name when it is there (a
        part of a name or an index finds it), and return that name; a name not there now is
        kept as it is (a projector plugged in later), an index that finds nothing is not."""
        found = find_monitor(choice)
        named = monitor_name(found) if found is not None else choice.strip()
        if self.preferences is not None and (found is not None or not named.isdigit()):
            self.preferences.remember("output", "monitor", named)
        return named

    def describe(self) -> tuple[str, ...]:
        return ((self.window.describe(),) if self.window else ()) + (self.sharing.describe() if self.sharing else ())

    def log_to(self, path: Path | None) -> None:
        """The panel's switch: a log from the next frame into ``path``, or (None) the log ends."""
        if path is None:
            if self.show_log is None:
                raise ShaderlabError("the show is not being logged")
            self._close_log(wait=False)
            return
        if self.show_log is not None:
            raise ShaderlabError(f"the show is logged already ({self.show_log.path}); end that log first")
        self.app.options.show_log = path if path.is_absolute() else self.app.dispatch.save_folder() / path

    def close(self) -> None:
        app = self.app
        if self.sharing is not None:
            self.sharing.close()
        if self.show_log is not None:
            try:
                for index in app.stage.unrecorded:  # found as the recording stopped
                    self.show_log.unrecorded(index)
            except OSError as exc:
                self._log_failed(exc)
            if self.show_log is not None:
                self._close_log()
        if self.window is not None:
            self.window.close()

    def _close_log(self, wait: bool = True) -> None:
        """End the log: at exit here; from the panel on a thread of its own (it waits for the
        log's last pictures and a sync to disk), saying how it went through the inbox."""
        try:
            for entry in self._waiting:  # ended before its starting pictures came: what there is
                self.show_log.frame(*entry, seeds=self._seeds or None)
                self._seeds = {}
        except OSError:
            pass  # finishing the log says what is wrong with the disk
        self._waiting, self._seeds_due = [], 0
        log, self.show_log = self.show_log, None
        post = self.app.inbox.put
        say = self.app.report if wait else lambda text, error=False: post(Say(text, error=error))

        def finish() -> None:
            try:
                left = f"; {log.not_kept} pictures of a moving source were not kept (the disk was behind)" if log.not_kept else ""
                say(f"show log: {log.close()} ({log.frames} frames{left})")
            except OSError as exc:
                say(f"show log: {log.partial} could not be finished ({exc.strerror or exc}); "
                    "render --replay reads it as far as it got", error=True)

        if wait:
            finish()
        else:
            threading.Thread(target=finish, name="shaderlab-show-log-close").start()

    def _log_failed(self, exc: OSError) -> None:
        log, self.show_log = self.show_log, None
        self.app.report(f"show log: stopped ({exc.strerror or exc}); {log.partial} replays as far as it got",
                        error=True)
        try:
            log.abandon()
        except OSError:
            pass

    def _log(self, sort_request: tuple[str | None, bool] | None) -> None:
        """The frame into the show log (--show-log), started with the first frame rendered."""
        app, stage, options = self.app, self.app.stage, self.app.options
        if self.show_log is None and getattr(options, "show_log", None):
            options.show_log, path = None, options.show_log
            try:
                self.show_log = ShowLogWriter(path, tuple(stage.shown.size), [str(p) for p in options.shaders])
                app.report(f"logging the show in {path}")
            except ShaderlabError as exc:
                app.report(str(exc), error=True)
            else:
                if self._begin_log():
                    return  # the log begins with the next frame, from the pictures read back now
        if self.show_log is None:
            stage.changes, stage.unrecorded = {}, []
            return
        self._waiting.append(self._entry(sort_request))
        if len(self._seeds) < self._seeds_due:
            return  # the canvas or the held frame it starts from is still being read back
        try:
            for entry in self._waiting:
                self.show_log.frame(*entry, seeds=self._seeds or None)
                self._seeds = {}
            self._waiting, self._seeds_due = [], 0
            for index in stage.unrecorded:
                self.show_log.unrecorded(index)
        except OSError as exc:  # a full disk, a drive gone: the log stops, the show goes on
            self._log_failed(exc)
        stage.unrecorded = []

    def _begin_log(self) -> bool:
        """The log starts with what is on show: the picture (or the clip's frame) and its depth
        map, and where there are, the sort canvas and the frame a freeze holds. Those two are
        read back (two frames); the log then begins with the frame after this one. True: so."""
        stage = self.app.stage
        seeds = stage.seeds()
        self._seeds, self._seeds_due, self._waiting = {}, len(seeds), []
        for key, texture in seeds.items():
            stage.read_later(texture, lambda pixels, key=key: self._seeds.__setitem__(key, pixels))
        if seeds:
            stage.changes = {}  # this frame is not in the log: what it changed is in the pictures
        if stage.moving is not None:
            stage.changes["moving"] = stage.moving
        else:
            stage.changes["source"] = stage.source_pixels
        if stage.depth_pixels is not None:
            stage.changes["depth"] = stage.depth_pixels
        return bool(seeds)

    def _entry(self, sort_request: tuple[str | None, bool] | None) -> tuple:
        """This frame's arguments for ShowLogWriter.frame (what changed is taken from the stage)."""
        app, stage = self.app, self.app.stage
        changes, stage.changes = stage.changes, {}
        chain = [(s.id, s.name, s.enabled and s.serial in stage.ran, s.serial) for s in app.store.chain.slots]
        clip, source = None, changes.get("source")
        moving = changes.get("moving")
        if isinstance(moving, ClipPicture):  # its frame number: replay decodes the clip again
            clip = (str(moving.feed.info.path.resolve()), moving.shown_index)
        elif moving is not None:  # a camera's frames are only here: each one is kept
            source = np.ascontiguousarray(moving.pixels())
        return (app.frames_rendered, app.now.index, app.now.time, app.now.tempo, dict(app.resolved), chain,
                sort_request or (None, False), source, changes.get("depth"), changes.get("fade"),
                changes.get("reset"), clip, tuple(app.pointer.shadertoy_mouse))
