"""``shaderlab bench`` (issue 17): the table a performer reads before the show, measured for real
on this machine's GL, and its one-line errors."""

from __future__ import annotations

import json

import pytest

from conftest import run_cli
from shaderlab.benchmark import CHAIN, Report, Timing, parse_sizes, tables


def test_bench_times_effects_and_chains_at_each_size():
    # Sizes 36 times apart in pixels: at a few thousand pixels a frame llvmpipe's fixed cost per
    # draw hides a 4× step on a loaded machine (the smaller size once timed slower).
    done = run_cli("bench", "--sizes", "64x36,384x216", "--effects", "blur,saturate", "--chains", "1,6",
                   "--runs", "2", "--frames", "2", "--json", timeout=300)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["renderer"] and report["sizes"] == {"64×36": [64, 36], "384×216": [384, 216]}
    assert set(report["effects"]) == {"blur", "saturate"} and set(report["chains"]) == {"1", "6"}
    for rows in (report["effects"], report["chains"]):
        for timings in rows.values():
            for timing in timings.values():
                assert 0 < timing["low"] <= timing["median"] <= timing["high"]
    assert len(report["chain_effects_alone"]["384×216"]) == len(CHAIN)
    # More work takes longer: six effects against one, 36 times the pixels against one.
    chains = report["chains"]
    assert chains["6"]["384×216"]["median"] > chains["1"]["384×216"]["median"]
    assert report["effects"]["blur"]["384×216"]["median"] > report["effects"]["blur"]["64×36"]["median"]


def test_the_table_says_what_fits_a_frame():
    timing = lambda ms: Timing(ms, ms * 0.9, ms * 1.1)  # noqa: E731
    report = Report("a GPU", {"720p": (1280, 720), "1080p": (1920, 1080)}, 3, 5,
                    effects={"blur": {"720p": timing(1.0), "1080p": timing(2.25)}},
                    chains={1: {"720p": timing(0.5), "1080p": timing(1.2)}, 6: {"720p": timing(6.0), "1080p": timing(18.0)}},
                    parts={label: [timing(1.0)] * len(CHAIN) for label in ("720p", "1080p")})
    text = tables(report)
    assert "| blur | 1.00 (0.90–1.10) | 2.25 (2.02–2.48) |" in text
    assert "1080p against 720p: 3.00× the time for 2.25× the pixels" in text
    assert "at 720p: 1: 0.50, 6: 1.00" in text
    assert "at 720p, 60 fps leaves 16.7 ms a frame on the GPU: the longest chain measured that fits is 6 effects" in text
    assert "at 1080p, 60 fps leaves 16.7 ms a frame on the GPU: the longest chain measured that fits is 1 effect" in text


@pytest.mark.parametrize("args, message", [
    (["--sizes", "huge"], "size 'huge' is not 720p, 1080p, 4k or WxH"),
    (["--sizes", "0x10"], "must be between 1x1 and 16384x16384"),
    (["--chains", "two"], "chain lengths are whole numbers"),
    (["--effects", "nosuch", "--sizes", "8x8"], "unknown effect 'nosuch'"),
    (["--effects", "none", "--chains", "", "--sizes", "8x8"], "nothing to measure"),
])
def test_bench_mistakes_are_one_line(args, message):
    done = run_cli("bench", *args)
    assert done.returncode == 2 and message in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_sizes_by_name():
    assert parse_sizes("720p, 4k") == {"720p": (1280, 720), "4K": (3840, 2160)}


def test_an_effect_that_cannot_run_is_its_rows_note_and_the_rest_is_timed(tmp_path):
    (tmp_path / "broken.fs").write_text('/*{"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]}*/\nvoid main() { oops; }\n')
    done = run_cli("bench", "--sizes", "64x36", "--effects", "broken,saturate", "--chains", "",
                   "--runs", "1", "--frames", "1", "--shaders", str(tmp_path), timeout=300)
    assert done.returncode == 0, done.stderr
    assert "| saturate | " in done.stdout and "| broken | – |" in done.stdout
    assert "broken not timed: " in done.stdout and "broken.fs:2" in done.stdout
