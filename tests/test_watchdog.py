"""A shader that never finishes a frame never freezes the CLI, the API or the window (issue 11).

The loop below runs for minutes a frame on llvmpipe, even at a thumbnail's 128×80: llvmpipe
stops a shader's loops after 65,535 iterations in all (nested loops share the count: with 300
reads in an inner loop the "endless" effect took 1.6 s at 128×80, inside a 2 s trial's budget on
a quiet machine), so each iteration does its 64 reads unrolled. A real GPU would reset after
seconds and may take the context with it. It is only ever run where it can be stopped: a child
process.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from conftest import IMAGES, run_cli
from shaderlab.errors import ShaderError

ENDLESS_FS = """/*{ "INPUTS": [ {"NAME": "inputImage", "TYPE": "image"} ] }*/
#define TAP(k) acc += IMG_NORM_PIXEL(inputImage, fract(acc.xy + vec2(float(k) * 0.013, 0.5)));
#define TAPS8(k) TAP(k) TAP(k + 1) TAP(k + 2) TAP(k + 3) TAP(k + 4) TAP(k + 5) TAP(k + 6) TAP(k + 7)
void main() {
    vec4 acc = vec4(0.0);
    int n = 0;
    for (;;) {
        TAPS8(0) TAPS8(8) TAPS8(16) TAPS8(24) TAPS8(32) TAPS8(40) TAPS8(48) TAPS8(56)
        n++;
        if (TIME < -1.0 && n > 3) break;
    }
    gl_FragColor = acc / float(n);
}
"""


@pytest.fixture
def endless(tmp_path):
    folder = tmp_path / "shaders"
    folder.mkdir()
    (folder / "endless.fs").write_text(ENDLESS_FS)
    return folder


@pytest.mark.parametrize("output, frames", [("out.png", []), ("out.gif", ["--frames", "2"])])
def test_the_command_line_stops_an_endless_effect_with_one_line(tmp_path, endless, output, frames):
    out = tmp_path / output
    started = time.monotonic()
    result = run_cli("render", str(IMAGES / "coffee.png"), "--shaders", str(endless), "-e", "endless",
                     *frames, "--frame-timeout", "2", "-o", str(out), timeout=60)
    elapsed = time.monotonic() - started
    assert result.returncode == 2, result.stderr
    error = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(error) == 1 and "effect 'endless' at 600×400 did not finish within 2 s" in error[0]
    assert "--frame-timeout" in error[0] and "Traceback" not in result.stderr
    assert elapsed < 20  # the budget, the start and the kill; not the minutes the frame would take
    # Nothing at the name, nor beside it.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shaders"]
    again = run_cli("render", str(IMAGES / "coffee.png"), "-e", "blur", *frames, "-o", str(out))
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [output, "shaders"]


def test_the_command_line_budget_leaves_ordinary_renders_alone(tmp_path):
    out = tmp_path / "sorted.png"
    result = run_cli("sort", str(IMAGES / "coffee.png"), "-o", str(out), "--frame-timeout", "30")
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 1000


def test_the_api_vets_user_effects_and_keeps_working(endless):
    from shaderlab import Renderer

    image = np.full((96, 128, 3), 100, np.uint8)
    with Renderer([endless], frame_timeout=2) as renderer:
        started = time.monotonic()
        with pytest.raises(ShaderError, match=r"endless\.fs: effect 'endless' at 128×96 did not finish within 2 s"):
            renderer.render(image, ["endless"])
        assert time.monotonic() - started < 20
        # This process was never blocked, and the renderer still renders.
        out = renderer.render(image, [("blur", {"radius": 2})])
        assert out.shape == (96, 128, 4) and abs(int(out[..., 0].mean()) - 100) <= 1


@pytest.mark.window
def test_the_window_tries_new_code_off_the_show(display, tmp_path):
    """The running version keeps running while an endless edit is tried and refused; the
    window goes on rendering and quits cleanly on ctrl+C (its frames counted in --stats)."""
    from test_window import TINT_FS, _Lines

    shaders = tmp_path / "shaders"
    shaders.mkdir()
    effect = shaders / "tint.fs"
    effect.write_text(TINT_FS % "1.0, 0.0, 0.0")
    env = {**os.environ, "DISPLAY": display}
    app = subprocess.Popen(
        [sys.executable, "-m", "shaderlab", "play", str(IMAGES / "chelsea.png"), "--shaders", str(shaders),
         "-e", "tint", "--size", "800x500", "--frame-timeout", "2", "--stats"],
        stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=tmp_path,
    )
    lines = _Lines(app.stderr)
    try:
        lines.wait_for("showing")
        effect.write_text(ENDLESS_FS.replace('"INPUTS"', '"DESCRIPTION": "tint", "INPUTS"'))
        refused = lines.wait_for("did not finish within 2 s in a trial run", timeout=30)
        assert "tint.fs" in lines.lines[refused] and "error:" in lines.lines[refused]
        time.sleep(3)  # a refused version is told once, not tried again every frame
        assert sum("did not finish" in line for line in lines.lines) == 1
        # ctrl+C, as in a terminal: a GL thread that still runs frames sees it and quits cleanly.
        app.send_signal(signal.SIGINT)
        try:
            app.wait(timeout=30)
        except subprocess.TimeoutExpired:
            app.send_signal(signal.SIGUSR1)  # the app prints every thread's stack
            time.sleep(1.0)
            raise AssertionError("the window did not quit on ctrl+C; the app said:\n" + "\n".join(lines.lines)) from None
        stdout = app.stdout.read()
    finally:
        if app.poll() is None:
            app.kill()
            app.wait(timeout=10)
    assert app.returncode == 0
    stats = json.loads(stdout.strip().splitlines()[-1])
    assert stats["frames"] > 10
    assert not any("reloaded" in line for line in lines.lines)


def test_a_killed_supervisor_takes_its_render_with_it(tmp_path, endless):
    """SIGKILL to the command must not leave the forked renderer running (holding the output)."""
    import signal

    out = tmp_path / "out.png"
    command = subprocess.Popen(
        [sys.executable, "-m", "shaderlab", "render", str(IMAGES / "coffee.png"), "--shaders", str(endless),
         "-e", "endless", "--frame-timeout", "60", "-o", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        children: list[int] = []
        while not children and time.monotonic() < deadline:  # the supervisor has forked its renderer
            children = _children(command.pid)
            time.sleep(0.1)
        assert children, "the command never started its renderer"
        time.sleep(1.0)
        command.send_signal(signal.SIGKILL)
        command.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(pid) for pid in children):
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in children)
    finally:
        if command.poll() is None:
            command.kill()
            command.wait(timeout=10)


def _children(parent: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().split(")")[-1].split()[1]) == parent:
                        found.append(int(entry))
            except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
                pass
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_closing_the_trials_ends_one_under_way_at_once(endless):
    """The window closes its trials at exit: that must not wait for a trial's time limit, nor
    for a helper process that is still starting."""
    import threading

    from shaderlab.library import read_effect
    from shaderlab.render.vetting import TrialsUnavailable, Vetter

    spec = read_effect(endless / "endless.fs")
    for delay in (0.0, 3.0):  # while the child starts, and while it runs the endless frame
        vetter = Vetter(timeout=60)
        answers: list[str | None] = []

        def run() -> None:
            try:
                answers.append(vetter.vet(spec, (128, 96)))
            except TrialsUnavailable as exc:  # closed while its helper was starting
                answers.append(str(exc))

        trial = threading.Thread(target=run)
        trial.start()
        time.sleep(delay)
        started = time.monotonic()
        vetter.close()
        trial.join(timeout=30)
        assert not trial.is_alive() and time.monotonic() - started < 5
        assert answers and answers[0] is not None  # not passed: "failed", "did not start" or "closed"
        with pytest.raises(TrialsUnavailable, match="closed"):
            vetter.vet(spec, (128, 96))


def test_no_trial_at_all_is_no_verdict(endless):
    """When trials cannot run (here: closed), the effect is neither passed nor refused: it is
    asked again, and the reason is told as a warning, not as the shader's error."""
    import queue

    from shaderlab.stage.trials import PENDING, Trials
    from shaderlab.library import read_effect

    spec = read_effect(endless / "endless.fs")
    inbox: queue.Queue = queue.Queue()
    trials = Trials(inbox.put, timeout=5)
    assert trials.verdict(spec, (64, 48), {}) == PENDING
    trials.close()  # before the trial could start (or while it ran)
    message = inbox.get(timeout=30)
    assert not trials.tried(message) and not trials.refused(spec, (64, 48))
    assert message.unavailable or "failed" in message.error
