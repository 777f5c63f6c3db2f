"""Moving sources on the GL thread: clips, cameras and NDI sources opened on workers and shown
by the stage, the clip's transport commands (scrub, cue points), a feed's failures as lines,
and the depth of a moving picture estimated again as often as a worker can. One handler a
command or message, merged into the dispatch table (app/dispatch.py)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import numpy as np

from shaderlab.io.depth import BUILTIN_ESTIMATOR, estimate_depth_builtin
from shaderlab.io.images import load_image
from shaderlab.media.clip import is_clip
from shaderlab.media.feeds import CAMERA_PREFIX, NDI_PREFIX, open_feed
from shaderlab.show import commands as c
from shaderlab.show import messages as m
from shaderlab.show.settings import CROSSFADE
from shaderlab.stage.moving import ClipPicture, moving_picture

if TYPE_CHECKING:
    from shaderlab.app.window import ShaderlabWindow


class Media:
    def __init__(self, app: "ShaderlabWindow"):
        self.app = app
        self.job = 0  # the newest source asked for (a still or a feed): older answers are dropped
        self._cue_points: dict[int, list[float]] = {}  # a clip's, by the job opening it
        self._depth_busy = False
        self._depth_of: tuple[Any, int] | None = None  # (picture, frame) the depth map is of
        self._last_failure = ""

    def handlers(self) -> dict[type, Callable[[Any], None]]:
        return {
            c.OpenCamera: lambda cmd: self.open_live((NDI_PREFIX if cmd.ndi else CAMERA_PREFIX) + cmd.spec),
            c.ClipSeek: self._seek,
            c.ClipCue: self._cue,
            c.ClipMark: self._mark,
            m.FeedOpened: self._opened,
            m.FeedFrame: lambda msg: self.app.stage.feed_frame(msg),
            m.FeedFailed: self._failed,
        }

    # -- opening ---------------------------------------------------------------------------
    def open_source(self, path: Path, cue_points: list[float] | None = None) -> int:
        """A file becomes the source, decoded on a worker: a still (ImageReady) or, for a clip,
        a player (FeedOpened) whose transport gets ``cue_points``."""
        app, side = self.app, self.app.stage.max_side

        def work(job: int) -> m.Message:
            if is_clip(path):
                feed, label, warnings = open_feed(str(path), app.inbox.put, side)
                return m.FeedOpened(job, feed, label, None, warnings)
            loaded = load_image(path, side)
            return m.ImageReady(job, loaded.pixels, Path(path), loaded.warnings)

        self.job = app.workers.submit(work)
        self._cue_points = {self.job: list(cue_points or [])}
        return self.job

    def open_live(self, spec: str, size: tuple[int, int] | None = None, fps: float | None = None) -> int:
        """A camera (``camera:SPEC``) or an NDI source (``ndi:NAME``) becomes the source."""
        app, side = self.app, self.app.stage.max_side
        options = getattr(app.options, "camera_size", None), getattr(app.options, "camera_fps", None)
        def work(job: int) -> m.Message:
            feed, label, warnings = open_feed(spec, app.inbox.put, side, size or options[0], fps or options[1])
            return m.FeedOpened(job, feed, label, None, warnings)

        self.job = app.workers.submit(work)
        app.report(f"opening {spec.rstrip(':')}")
        return self.job

    def _opened(self, message: m.FeedOpened) -> None:
        app = self.app
        if message.key is not None:
            app.stage.images.on_feed(message)
            return
        if message.job != self.job:
            message.feed.discard()  # a newer source was asked for meanwhile
            return
        for warning in message.warnings:
            app.report(warning, warning=True)
        feed, session = message.feed, app.store.session
        picture = moving_picture(app.ctx, feed, message.label, self._cue_points.pop(message.job, []))
        if isinstance(picture, ClipPicture):
            session.source, session.clip = feed.info.path, True
            session.cue_points = list(picture.transport.cue_points)
        else:
            session.clip = False
        app.stage.set_moving(picture, app.store.get(CROSSFADE) if app.stage.source is not None else 0.0)
        feed.start()
        self._last_failure = ""
        app.report(f"playing {message.label}")

    def _failed(self, message: m.FeedFailed) -> None:
        stage = self.app.stage
        current = [p.feed for p in (stage.moving, stage.arriving, *stage.images.moving()) if p is not None]
        if not any(message.feed is feed for feed in current):
            return  # a feed replaced since: its news is no one's
        if message.recovered:
            self._last_failure = ""
            self.app.report(message.message)
        elif message.message != self._last_failure:  # a damaged stretch fails on every loop: once
            self._last_failure = message.message
            self.app.report(message.message, error=True)

    # -- the clip's transport --------------------------------------------------------------
    def _clip(self) -> ClipPicture | None:
        picture = self.app.stage.arriving or self.app.stage.moving
        if isinstance(picture, ClipPicture):
            return picture
        self.app.report("no clip is playing")
        return None

    def _seek(self, command: c.ClipSeek) -> None:
        clip = self._clip()
        if clip is not None:
            clip.transport.seek(command.fraction)

    def _cue(self, command: c.ClipCue) -> None:
        clip = self._clip()
        if clip is not None and not clip.transport.jump(command.number - 1):
            count = len(clip.transport.cue_points)
            self.app.report(f"the clip has no cue point {command.number} ({count} marked)", error=True)

    def apply_cue_points(self, cue_points: list[float]) -> None:
        """A cue's scene names the clip on show: its cue points from now on."""
        clip = self.app.stage.moving
        if isinstance(clip, ClipPicture):
            clip.transport.cue_points = sorted(cue_points)
            self.app.store.session.cue_points = list(clip.transport.cue_points)

    def _mark(self, _: c.ClipMark) -> None:
        clip = self._clip()
        if clip is not None:
            number = clip.transport.mark() + 1
            self.app.store.session.cue_points = list(clip.transport.cue_points)
            self.app.report(f"cue point {number} at {clip.transport.position:.2f} s")

    # -- depth of a moving picture ---------------------------------------------------------
    def frame_shown(self) -> None:
        """After a frame: a moving source that showed a new frame gets its depth estimated
        again on a worker when an effect reads it and the last estimate is done (the last depth
        map stays meanwhile)."""
        stage = self.app.stage
        picture = stage.moving
        if picture is None or not stage.wants_depth or self._depth_busy or picture.rows is None:
            return
        shown = (picture, picture.frames_shown)  # a held clip's frame is estimated once
        if shown == self._depth_of:
            return
        view, estimator = picture.pixels(), self.app.controls.estimator  # the frame's rows never change
        self._depth_busy, self._depth_of = True, shown

        def work(job: int) -> m.Message:
            pixels = np.ascontiguousarray(view)  # copied here, not on the GL thread
            if estimator is not None:
                return m.DepthReady(job, estimator.estimate(pixels), str(estimator.path))
            return m.DepthReady(job, estimate_depth_builtin(pixels), BUILTIN_ESTIMATOR)

        self.app.dispatch.depth_job = self.app.workers.submit(work)

    def depth_done(self) -> None:
        self._depth_busy = False
