"""Where the clean output goes (issue 15): fullscreen on a monitor chosen by name — from the
panel, OSC or the command line — followed live by the output window, and remembered in the
settings (app/preferences.py) for the next show."""

from __future__ import annotations

import tomllib

import pytest

from in_process import photo, run_app, wait_for
from shaderlab.app.preferences import Preferences
from shaderlab.show import commands as c
from shaderlab.show.settings import OUTPUT_MONITOR

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(autouse=True)
def on_the_display(display, monkeypatch, tmp_path):
    monkeypatch.setenv("DISPLAY", display)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))


def lines(app) -> list[str]:
    return [note.text for note in app.store.session.notes if note.text.startswith("output:")]


def test_a_monitor_chosen_in_the_show_takes_the_output_there_and_is_remembered(tmp_path):
    settings = tmp_path / "shaderlab" / "settings.toml"
    seen = {}

    def choose(app):
        yield from wait_for(app, lambda: app.stage.output is not None)
        seen["monitors"] = app.status().monitors
        seen["before"] = app.outputs.window  # no --output: no second window yet
        app.inbox.put(c.SetValue(OUTPUT_MONITOR, seen["monitors"][0]))  # what the panel's "Output on" sends
        yield from wait_for(app, lambda: app.outputs.window is not None and app.outputs.window.fullscreen_on)
        seen["fullscreen"] = app.outputs.window.fullscreen_on
        yield from wait_for(app, settings.exists)

    run_app(choose, str(photo()), "--size", "480x320")
    name = seen["monitors"][0]
    assert seen["before"] is None and seen["fullscreen"] == name
    assert tomllib.loads(settings.read_text()) == {"output": {"monitor": name}}

    def again(app):  # --output alone: fullscreen where it went last time; then a window, remembered too
        yield from wait_for(app, lambda: app.outputs.window.fullscreen_on == name)
        seen["slot"] = app.store.get(OUTPUT_MONITOR)
        app.inbox.put(c.SetValue(OUTPUT_MONITOR, ""))
        yield from wait_for(app, lambda: app.outputs.window.fullscreen_on is None)
        yield from wait_for(app, lambda: tomllib.loads(settings.read_text())["output"]["monitor"] == "")
        seen["lines"] = lines(app)

    run_app(again, str(photo()), "--size", "480x320", "--output")
    assert seen["slot"] == name
    assert seen["lines"][-2:] == [f"output: fullscreen on {name} (1920×1080)", "output: in a window"]


def test_a_monitor_asked_for_by_index_is_remembered_by_name(tmp_path):
    settings = tmp_path / "shaderlab" / "settings.toml"
    seen = {}

    def script(app):
        yield from wait_for(app, lambda: app.outputs.window.fullscreen_on is not None)
        seen["on"] = app.outputs.window.fullscreen_on
        yield from wait_for(app, settings.exists)

    run_app(script, str(photo()), "--size", "480x320", "--output-monitor", "0")
    assert tomllib.loads(settings.read_text())["output"]["monitor"] == seen["on"] != "0"


def test_remembered_settings_that_cannot_be_read_or_kept_are_one_line_each(tmp_path):
    said = []
    path = tmp_path / "shaderlab" / "settings.toml"
    path.parent.mkdir()
    path.write_text("[output\nmonitor = ")
    preferences = Preferences(path, report=lambda text, **kind: said.append((text, kind)))
    assert preferences.get("output", "monitor") is None
    assert len(said) == 1 and said[0][0].startswith(f"{path}: cannot read the remembered settings")
    preferences.remember("output", "monitor", "HDMI-1").join(timeout=10)
    assert tomllib.loads(path.read_text()) == {"output": {"monitor": "HDMI-1"}}
    assert preferences.remember("output", "monitor", "HDMI-1") is None  # nothing new: nothing written
    blocked = Preferences(tmp_path / "a file" / "settings.toml", report=lambda text, **kind: said.append((text, kind)))
    (tmp_path / "a file").write_text("not a folder")
    blocked.remember("output", "monitor", "DP-2").join(timeout=10)
    assert len(said) == 2 and "cannot keep settings there" in said[1][0] and said[1][1] == {"warning": True}
    assert blocked.get("output", "monitor") == "DP-2"  # kept for this show all the same


def test_the_monitors_command_lists_them_and_marks_the_remembered_one(display, tmp_path):
    from conftest import run_cli

    listed = run_cli("monitors", env={"DISPLAY": display, "XDG_CONFIG_HOME": str(tmp_path)})
    assert listed.returncode == 0, listed.stderr
    first = listed.stdout.splitlines()[0]
    assert first.startswith("  0  ") and "×" in first and "remembered" not in first
    assert "(none yet: a window)" in listed.stdout
    name = first[5:].split(" · ")[0]
    (tmp_path / "shaderlab").mkdir(exist_ok=True)
    (tmp_path / "shaderlab" / "settings.toml").write_text(f'[output]\nmonitor = "{name}"\n')
    again = run_cli("monitors", env={"DISPLAY": display, "XDG_CONFIG_HOME": str(tmp_path)})
    assert "← the output's (remembered)" in again.stdout.splitlines()[0] and f"({name})" in again.stdout
    nowhere = run_cli("monitors", env={"DISPLAY": ":1999", "XDG_CONFIG_HOME": str(tmp_path)})
    assert nowhere.returncode == 2 and nowhere.stderr.count("\n") == 1 and "no display" in nowhere.stderr


def test_a_monitor_that_is_not_one_line_is_one_line_and_never_remembered(display, tmp_path):
    from conftest import run_cli

    env = {"DISPLAY": display, "XDG_CONFIG_HOME": str(tmp_path)}
    typed = run_cli("play", str(photo()), "--output-monitor", "HDMI\n1", "--frames", "3", env=env)
    assert typed.returncode == 2 and typed.stderr.count("\n") == 1, typed.stderr
    assert typed.stderr.startswith("shaderlab: error: --output-monitor 'HDMI\\n1': ")
    assert not (tmp_path / "shaderlab" / "settings.toml").exists()
    (tmp_path / "shaderlab").mkdir()
    (tmp_path / "shaderlab" / "settings.toml").write_text('[output]\nmonitor = "a\\nb"\n')  # edited by hand
    remembered = run_cli("play", str(photo()), "--output", "--frames", "3", env=env)
    assert remembered.returncode == 0, remembered.stderr
    assert "the remembered monitor cannot be used" in remembered.stderr and "opens in a window" in remembered.stderr
