"""One bad shader file is that file's one-line error, never the end of a listing, a render or
the watcher thread: malformed headers, manifests and size expressions, binary and unreadable
files, and whatever a parser did not foresee."""

from __future__ import annotations

import json
import os
import queue
import time
from pathlib import Path

import pytest

from conftest import IMAGES, run_cli
from shaderlab.show.messages import ShaderChanged
from shaderlab.app.workers import ShaderWatcher
from shaderlab.errors import EffectError, ShaderError
from shaderlab.isf.expressions import ExpressionError, evaluate
from shaderlab.isf.header import parse_effect
from shaderlab.library import EffectLibrary, effect_files, read_effect
from shaderlab.render.chain import pass_sizes
from shaderlab.shadertoy.manifest import manifest_files

GOOD_FS = '/*{"INPUTS": [{"NAME": "level", "TYPE": "float", "DEFAULT": 0.5}]}*/\nvoid main() { gl_FragColor = vec4(vec3(level), 1.0); }\n'
DEEP = "(" * 3000 + "$WIDTH" + ")" * 3000
BAD_HEADERS = {
    "nan_size": ('{"PASSES": [{"TARGET": "a", "WIDTH": "1e999-1e999"}, {}]}', "not a finite number"),
    "inf_size": ('{"PASSES": [{"TARGET": "a", "HEIGHT": "$HEIGHT * 1e999"}, {}]}', "not a finite number"),
    "deep_size": ('{"PASSES": [{"TARGET": "a", "WIDTH": "%s"}, {}]}' % DEEP, "nests deeper than"),
    "size_object": ('{"PASSES": [{"TARGET": "a", "WIDTH": {"x": 1}}, {}]}', "PASSES WIDTH must be"),
    "target_list": ('{"PASSES": [{"TARGET": [1]}, {}]}', "TARGET must be a name"),
    "values_text": ('{"INPUTS": [{"NAME": "m", "TYPE": "long", "VALUES": ["a"]}]}', "VALUES must be a list of whole numbers"),
    "values_number": ('{"INPUTS": [{"NAME": "m", "TYPE": "long", "VALUES": 5}]}', "VALUES must be a list"),
    "labels_number": ('{"INPUTS": [{"NAME": "m", "TYPE": "long", "VALUES": [0, 1], "LABELS": 5}]}', "LABELS must be a list"),
    "default_overflow": ('{"INPUTS": [{"NAME": "m", "TYPE": "long", "DEFAULT": "1e999"}]}', "DEFAULT that is not a long"),
    "default_nan": ('{"INPUTS": [{"NAME": "x", "TYPE": "float", "DEFAULT": "nan"}]}', "DEFAULT that is not a float"),
    "imported_number": ('{"IMPORTED": 5}', "IMPORTED must be an object"),
    "imported_no_path": ('{"IMPORTED": {"tex": {"PATH": 3}}}', "needs a NAME and a PATH"),
    "imported_cube": ('{"IMPORTED": {"sky": {"TYPE": "cube", "PATH": ["a.jpg", "b.jpg"]}}}', "is a cube map (six images)"),
    "categories_number": ('{"CATEGORIES": 5}', "CATEGORIES must be a list of names"),
    "categories_objects": ('{"CATEGORIES": [{}]}', "CATEGORIES must be a list of names"),
    "deep_json": ('{"A": %s}' % ("[" * 5000 + "]" * 5000), "nested too deeply"),
}


@pytest.mark.parametrize("case", sorted(BAD_HEADERS))
def test_malformed_headers_are_the_files_one_line_error(tmp_path, case):
    header, message = BAD_HEADERS[case]
    path = tmp_path / f"{case}.fs"
    path.write_text(f"/*{header}*/\nvoid main() {{ gl_FragColor = vec4(1.0); }}\n")
    with pytest.raises(ShaderError) as info:
        read_effect(path)
    text = str(info.value)
    assert text.startswith(f"{path}:1: ") and message in text
    assert "\n" not in text and len(text) < 400


def test_a_single_category_name_is_a_list_of_one(tmp_path):
    path = tmp_path / "one.fs"
    path.write_text('/*{"CATEGORIES": "Blur"}*/\nvoid main() {}\n')
    assert parse_effect(path).categories == ("Blur",)


@pytest.mark.parametrize(
    "expression, message",
    [("1e999-1e999", "nan, not a finite number"), ("1e999", "inf, not a finite number"),
     ("$WIDTH * 1e308 * 10", "not a finite number"), ("(" * 3000 + "1" + ")" * 3000, "nests deeper than 64"),
     ("-" * 3000 + "1", "nests deeper than 64"), ("2^" * 3000 + "2", "nests deeper than 64"),
     ("max()", "max()"), ("log(0)", "log()")],
)
def test_expressions_are_finite_numbers_or_an_error(expression, message):
    with pytest.raises(ExpressionError) as info:
        evaluate(expression, {"WIDTH": 640.0})
    assert message in str(info.value) and len(str(info.value)) < 200


def test_a_size_that_fails_only_for_some_values_is_an_effect_error(tmp_path):
    path = tmp_path / "ratio.fs"
    path.write_text('/*{"INPUTS": [{"NAME": "k", "TYPE": "float", "DEFAULT": 2}],'
                    ' "PASSES": [{"TARGET": "a", "WIDTH": "$WIDTH / ($k - 1)"}, {}]}*/\nvoid main() {}\n')
    spec = parse_effect(path)
    assert pass_sizes(spec, (64, 48), {"k": 3.0})[0] == (32, 48)
    with pytest.raises(EffectError, match="PASSES size"):  # never a ValueError from int()
        pass_sizes(spec, (64, 48), {"k": 1.0})


BAD_MANIFESTS = {
    "passes_number": ("passes = 5\n", "needs [[passes]]"),
    "passes_numbers": ("passes = [5]\n", "needs [[passes]]"),
    "passes_text": ('passes = "Image"\n', "needs [[passes]]"),
    "channels_text": ('[[passes]]\nname = "Image"\ncode = "good.glsl"\nchannels = "Buffer A"\n', "channels must be a list"),
    "channels_numbers": ('[[passes]]\nname = "Image"\ncode = "good.glsl"\nchannels = [1, 2]\n', "channels must be a list"),
    "code_number": ('[[passes]]\nname = "Image"\ncode = 5\n', "code must be"),
    "name_table": ('[[passes]]\nname = {a = 1}\ncode = "good.glsl"\n', "is not one of"),
    "common_number": ('common = 5\n[[passes]]\nname = "Image"\ncode = "good.glsl"\n', "common must be"),
    "description_table": ('description = {a = 1}\n[[passes]]\nname = "Image"\ncode = "good.glsl"\n', "description must be"),
    "deep": ("a = " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
}
GOOD_GLSL = "void mainImage(out vec4 c, in vec2 p) { c = vec4(0.25, 0.5, 0.75, 1.0); }\n"


@pytest.mark.parametrize("case", sorted(BAD_MANIFESTS))
def test_malformed_manifests_are_the_files_one_line_error(tmp_path, case):
    text, message = BAD_MANIFESTS[case]
    (tmp_path / "good.glsl").write_text(GOOD_GLSL)
    path = tmp_path / f"{case}.shadertoy.toml"
    path.write_text(text)
    files = list(tmp_path.iterdir())
    manifest_files(path)  # never raises: listing a folder goes through here
    assert path in effect_files(files)
    with pytest.raises(ShaderError) as info:
        read_effect(path)
    assert str(info.value).startswith(f"{path}: ") and message in str(info.value)
    assert "\n" not in str(info.value)


def test_whatever_a_parser_did_not_foresee_is_still_the_files_error(tmp_path, monkeypatch):
    """The net in read_effect: a parser's own bug is reported as the file's line, not raised."""
    import shaderlab.library as library

    def broken(path, source=None):
        raise KeyError("something no one thought of\nsecond line")

    monkeypatch.setattr(library, "parse_effect", broken)
    path = tmp_path / "any.fs"
    path.write_text(GOOD_FS)
    with pytest.raises(ShaderError) as info:
        read_effect(path)
    assert str(info.value).startswith(f"{path}:1: cannot read this effect (KeyError:")
    assert "\n" not in str(info.value)


def _bad_folder(folder: Path) -> dict[str, str]:
    """A folder of downloads: one good effect among bad ones; the reason each bad one gives."""
    (folder / "good.fs").write_text(GOOD_FS)
    reasons = {}
    for case in ("nan_size", "values_text", "imported_number", "categories_number", "deep_size"):
        header, reasons[case] = BAD_HEADERS[case]
        (folder / f"{case}.fs").write_text(f"/*{header}*/\nvoid main() {{}}\n")
    (folder / "image.glsl").write_text(GOOD_GLSL)
    (folder / "part.glsl").write_text(GOOD_GLSL)  # a manifest's pass: not an effect of its own
    for case in ("passes_number", "passes_numbers", "channels_text", "code_number"):
        text, reasons[case] = BAD_MANIFESTS[case]
        (folder / f"{case}.shadertoy.toml").write_text(text.replace("good.glsl", "part.glsl"))
    (folder / "binary.glsl").write_bytes(bytes(range(256)) * 8)
    reasons["binary"] = "cannot read shader file"
    unreadable = folder / "unreadable.fs"
    unreadable.write_text(GOOD_FS)
    unreadable.chmod(0)
    if os.access(unreadable, os.R_OK):  # root reads it anyway: then it is a good effect
        reasons["unreadable"] = ""
    else:
        reasons["unreadable"] = "cannot read shader file"
    (folder / "dangling.fs").symlink_to(folder / "missing.fs")  # a link to nothing: no effect
    return reasons


def test_one_bad_file_does_not_break_a_folder_through_the_real_cli(tmp_path):
    folder = tmp_path / "downloads"
    folder.mkdir()
    reasons = _bad_folder(folder)
    result = run_cli("effects", "--shaders", str(folder), "--json", timeout=60)
    assert result.returncode == 0, result.stderr
    listed = {e["name"]: e for e in json.loads(result.stdout)}
    assert "inputs" in listed["good"] and "inputs" in listed["image"] and "inputs" in listed["blur"]
    assert "dangling" not in listed and "part" not in listed
    for name, reason in reasons.items():
        if reason:
            assert reason in listed[name]["error"], (name, listed[name])
            assert listed[name]["error"].startswith(str(folder / name)), listed[name]
    out = tmp_path / "out"
    out.mkdir()
    for effect in ("blur radius=2", "good level=1", "image"):  # bundled, and good ones beside the bad
        target = out / f"{effect.split()[0]}.png"
        result = run_cli("render", str(IMAGES / "coffee.png"), "--size", "48x32", "-o", str(target),
                         "-e", effect, "--shaders", str(folder), timeout=60)
        assert result.returncode == 0, (effect, result.stderr)
        assert target.stat().st_size > 0
    result = run_cli("render", str(IMAGES / "coffee.png"), "--size", "48x32", "-o", str(out / "bad.png"),
                     "-e", "nan_size", "--shaders", str(folder), timeout=60)
    assert result.returncode == 2 and "not a finite number" in result.stderr and "Traceback" not in result.stderr


def test_the_watcher_posts_the_bad_files_error_and_the_good_files_spec(tmp_path):
    inbox: queue.Queue = queue.Queue()
    watcher = ShaderWatcher([tmp_path], inbox)
    header, _ = BAD_HEADERS["imported_number"]
    (tmp_path / "bad.fs").write_text(f"/*{header}*/\nvoid main() {{}}\n")
    (tmp_path / "bad.shadertoy.toml").write_text("passes = [5]\n")
    (tmp_path / "good.fs").write_text(GOOD_FS)
    watcher.scan()
    messages = {m.path.name: m for m in (inbox.get_nowait() for _ in range(3))}
    assert inbox.empty()
    assert messages["bad.fs"].spec is None and "IMPORTED must be an object" in messages["bad.fs"].error
    assert messages["bad.shadertoy.toml"].spec is None and "needs [[passes]]" in messages["bad.shadertoy.toml"].error
    assert messages["good.fs"].spec is not None and messages["good.fs"].error is None


def _save(path: Path, text: str) -> None:
    """As editors do: the whole text at once (the watcher never sees half a file)."""
    temporary = path.with_name(path.name + ".part")
    temporary.write_text(text)
    temporary.rename(path)


def _next(inbox: queue.Queue, name: str) -> ShaderChanged:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        message = inbox.get(timeout=max(0.01, deadline - time.monotonic()))
        if isinstance(message, ShaderChanged) and message.path.name == name:
            return message
    raise AssertionError(f"no message for {name}")


def test_the_watcher_thread_survives_every_bad_file(tmp_path, monkeypatch):
    inbox: queue.Queue = queue.Queue()
    watcher = ShaderWatcher([tmp_path], inbox, interval=0.02)
    watcher.start()
    try:
        for index, case in enumerate(("nan_size", "values_text", "categories_number", "imported_number")):
            header, reason = BAD_HEADERS[case]
            _save(tmp_path / f"{case}.fs", f"/*{header}*/\nvoid main() {{}}\n")
            message = _next(inbox, f"{case}.fs")
            assert message.spec is None and reason in message.error
        _save(tmp_path / "m.shadertoy.toml", "passes = 5\n")
        assert "needs [[passes]]" in _next(inbox, "m.shadertoy.toml").error
        # A parser's own bug is that file's error too (the net), and the thread goes on.
        import shaderlab.app.workers as workers

        monkeypatch.setattr(workers, "read_effect", lambda path: {}["boom"])
        _save(tmp_path / "buggy.fs", GOOD_FS)
        assert "KeyError" in _next(inbox, "buggy.fs").error
        monkeypatch.undo()
        _save(tmp_path / "good.fs", GOOD_FS)
        assert _next(inbox, "good.fs").spec is not None
        assert watcher.is_alive()
    finally:
        watcher.stop()
        watcher.join(timeout=5)
