"""prefetch checks every --generate before asking anything, caps the seeds one may ask for, and
makes its jobs one at a time (memory of one answer, not of the whole range)."""

from __future__ import annotations

import argparse
import tracemalloc

import pytest

from conftest import run_cli
from shaderlab import model_commands
from shaderlab.errors import ShaderlabError


@pytest.fixture
def show(tmp_path, server):
    (tmp_path / "models.toml").write_text(f'[models.m]\nprovider = "runway"\nurl = "{server.url}"\nparams = {{ truncation = 0.8 }}\n')
    (tmp_path / "show.toml").write_text("[source]\n")
    return tmp_path


REFUSED = [
    ("m:clouds:5-1", "--generate 'm:clouds:5-1': the seeds run backwards; write 1-5"),
    ("m:clouds:-3", "--generate 'm:clouds:-3': write MODEL:KIND:SEEDS, like clouds-model:clouds:1-20 (seeds 0 or more)"),
    ("m:clouds:x-2", "write MODEL:KIND:SEEDS"),
    ("m:clouds", "write MODEL:KIND:SEEDS"),
    ("m:clouds:0-10000", "--generate 'm:clouds:0-10000': 10,001 seeds is over the 10,000 one --generate may ask for"),
    ("m:clouds:1-100000000", "100,000,000 seeds is over the 10,000"),
]


@pytest.mark.parametrize("spec, message", REFUSED, ids=[r[0] for r in REFUSED])
def test_bad_seed_ranges_are_refused_before_anything_is_asked(show, server, spec, message):
    result = run_cli("prefetch", "--scene", str(show / "show.toml"), "--models", str(show / "models.toml"),
                     "--cache", str(show / "cache"), "--generate", "m:clouds:1-2", "--generate", spec, timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("shaderlab: error: ") and message in lines[0], result.stderr
    assert server.log == []  # the good --generate before it was not started either


def test_jobs_are_made_one_at_a_time(show, server):
    """10,000 seeds (the most allowed) against a model that refuses at once: the first answer
    ends it, and the range was never built (it was ~3 MB as a list of jobs)."""
    server.route("GET", "/", lambda ex: ex.json(401, {}))
    options = argparse.Namespace(scene=show / "show.toml", cache=show / "cache", models=show / "models.toml",
                                 model=[], generate=["m:clouds:0-9999"])
    with pytest.raises(ShaderlabError, match="refused"):  # once, for the imports and first-use caches
        model_commands.prefetch(options)
    tracemalloc.start()
    try:
        with pytest.raises(ShaderlabError, match=r"refused \(401\)"):
            model_commands.prefetch(options)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 500_000, f"{peak / 1e6:.2f} MB"
    assert server.count("GET", "/") == 2  # one request per run: the first job, nothing built ahead
