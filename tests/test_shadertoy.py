"""Shadertoy code run unchanged: mainImage files with every uniform, and multipass manifests
(Buffer A–D + Image, common code, feedback), on shaders this project wrote (tests/shadertoy/)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

import shaderlab
from conftest import photo, run_cli
from shaderlab.errors import ShaderlabError
from shaderlab.library import EffectLibrary

FOLDER = Path(__file__).parent / "shadertoy"


def test_a_mainimage_file_gets_every_uniform():
    image = photo("chelsea.png")[:200, :400]
    with shaderlab.Renderer() as r:
        r.render(image, [str(FOLDER / "uniforms.glsl")], time=0.0)
        out = r.render(image, [str(FOLDER / "uniforms.glsl")], time=0.5, mouse=(200.0, 50.0, 10.0, 10.0))
    assert np.array_equal(out[:, :100, :3], image[:, :100])  # iChannel0 is the chain's input, upright
    assert tuple(out[100, 150]) == (13, 255, 26, 255)  # iTime 0.5, iTimeDelta 0.5 (×10 → 1), iFrame 1
    assert tuple(out[100, 250]) == (128, 64, 255, 255)  # iMouse at (200, 50) of 400×200, pressed
    assert tuple(out[100, 350]) == (102, 51, 255, 255)  # iChannelResolution[0] = 400×200; iDate


def test_multipass_buffers_feed_back_and_feed_forward():
    image = photo("chelsea.png")[:64, :64]
    with shaderlab.Renderer() as r:
        for frame in range(5):
            out = r.render(image, [str(FOLDER / "counter.shadertoy.toml")], time=frame / 60)
    # Buffer A counted 5 frames (it reads its own last frame); Buffer B doubled this frame's A.
    assert (out[..., 0] == 5).all() and (out[..., 1] == 10).all()
    assert np.array_equal(out[..., 2], image[..., 2])  # the Image pass's "input" channel


def test_errors_name_the_file_they_are_in(tmp_path):
    for name in ("common.glsl", "buffer_a.glsl", "buffer_b.glsl", "image.glsl", "counter.shadertoy.toml"):
        shutil.copy(FOLDER / name, tmp_path)
    pass_file = tmp_path / "buffer_b.glsl"
    pass_file.write_text(pass_file.read_text().replace("2.0 * texture", "2.0 * textur"))
    with pytest.raises(ShaderlabError, match=r"buffer_b\.glsl:3: .*textur"):
        shaderlab.Renderer().programs.get(str(tmp_path / "counter.shadertoy.toml"))
    pass_file.write_text((FOLDER / "buffer_b.glsl").read_text())
    common = tmp_path / "common.glsl"
    common.write_text(common.read_text().replace("vec4(STEP", "vec4(STEPS"))
    with pytest.raises(ShaderlabError, match=r"common\.glsl:3: .*STEPS"):
        shaderlab.Renderer().programs.get(str(tmp_path / "counter.shadertoy.toml"))


@pytest.mark.parametrize(
    "manifest, message",
    [
        ('[[passes]]\nname = "Buffer A"\ncode = "buffer_a.glsl"\n', r"the last \(only the last\) must be"),
        ('[[passes]]\nname = "Image"\ncode = "image.glsl"\nchannels = ["Buffer C"]\n', "no pass writes"),
        ('[[passes]]\nname = "Picture"\ncode = "image.glsl"\n', "is not one of"),
        ('[[passes]\n', "broken manifest"),
        ('[[passes]]\nname = "Image"\ncode = "image.glsl"\nchannels = ["nope.png"]\n', "not a buffer, input, source or an image file"),
    ],
)
def test_bad_manifests_are_refused_with_a_reason(tmp_path, manifest, message):
    for name in ("buffer_a.glsl", "image.glsl"):
        shutil.copy(FOLDER / name, tmp_path)
    (tmp_path / "bad.shadertoy.toml").write_text(manifest)
    with pytest.raises(ShaderlabError, match=message):
        EffectLibrary([tmp_path]).spec("bad")


def test_a_folder_lists_its_shadertoy_effects_and_skips_includes():
    result = run_cli("effects", "--shaders", str(FOLDER), "--json")
    assert result.returncode == 0, result.stderr
    listed = {e["name"]: e for e in json.loads(result.stdout)}
    assert "uniforms" in listed and "counter" in listed
    assert not {"common", "buffer_a", "buffer_b", "image"} & set(listed)  # no mainImage of their own... or passes
    assert [i["name"] for i in listed["uniforms"]["inputs"]] == ["inputImage", "iChannel1", "iChannel2", "iChannel3"]


def test_a_broken_file_does_not_hide_the_rest_of_a_folder(tmp_path):
    shutil.copy(FOLDER / "uniforms.glsl", tmp_path)
    (tmp_path / "broken.fs").write_text("/*{ not json }*/ void main() {}")
    result = run_cli("effects", "--shaders", str(tmp_path), "--json")
    assert result.returncode == 0, result.stderr
    listed = {e["name"]: e for e in json.loads(result.stdout)}
    assert "inputs" in listed["uniforms"] and "blur" in listed
    assert "broken.fs:1: broken ISF header" in listed["broken"]["error"]
    assert "broken.fs:1: broken ISF header" in result.stderr
