"""models.toml is checked key by key: a wrong type, an inline token or credentials in a URL is
one line naming the file and the key (never the value), unknown keys are warnings, and a bad
./models.toml never stops the window from starting."""

from __future__ import annotations

import pytest

from conftest import IMAGES, run_cli
from shaderlab.errors import ShaderlabError
from shaderlab.models.config import load_models

GOOD = '[models.m]\nprovider = "runway"\nurl = "https://models.example/v1"\n'
BAD_FILES = [
    ("params text", GOOD + 'params = "x"\n', "models.m.params must be a table, like params = { truncation = 0.8 }, not text"),
    ("token_env number", GOOD + "token_env = 5\n", "models.m.token_env must be text in quotes, not a number"),
    ("token_env a pasted token", GOOD + 'token_env = "r8-SECRETVALUE"\n', "models.m.token_env must name an environment variable"),
    ("input list", GOOD + "input = [1]\n", "models.m.input must be text in quotes, not a list"),
    ("url number", '[models.m]\nprovider = "runway"\nurl = 3\n', "models.m.url must be text in quotes, not a number"),
    ("provider true", "[models.m]\nprovider = true\n", "models.m.provider must be text in quotes, not true/false"),
    ("provider unknown", '[models.m]\nprovider = "magic"\nurl = "https://x.example"\n', "provider 'magic' is not one of"),
    ("no provider", '[models.m]\nurl = "https://x.example"\n', "models.m needs a provider"),
    ("no url", '[models.m]\nprovider = "runway"\n', "models.m needs a url"),
    ("model not a table", "[models]\nm = 5\n", "models.m must be a table ([models.m]), not a number"),
    ("models not tables", "models = 3\n", "models must be tables, like [models.depth]"),
    ("inline token", GOOD + 'token = "SECRETVALUE"\n',
     'models.m.token: tokens are never read from files; put it in an environment variable and name that variable with token_env'),
    ("credentials in url", '[models.m]\nprovider = "runway"\nurl = "https://me:SECRETVALUE@models.example/v1"\n',
     "credentials in a URL (user:password@) are refused"),
    ("query in a bad url", '[models.m]\nprovider = "runway"\nurl = "ftp://models.example/v1?key=SECRETVALUE"\n',
     "ftp://models.example/v1 is not an http(s) URL"),
    ("not toml", "[models.m\n", "cannot read model configuration"),
]


@pytest.mark.parametrize("name, text, message", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_bad_file_is_one_line_naming_file_and_key(tmp_path, name, text, message):
    path = tmp_path / "models.toml"
    path.write_text(text)
    with pytest.raises(ShaderlabError) as info:
        load_models(path)
    error = str(info.value)
    assert error.startswith(f"{path}: ") and message in error, error
    assert "\n" not in error and "SECRETVALUE" not in error


def test_unknown_keys_are_warnings_and_the_rest_loads(tmp_path):
    path = tmp_path / "models.toml"
    path.write_text("title = 'mine'\n" + GOOD + 'token_env = "MY_TOKEN"\nimput = "image"\nparams = { truncation = 0.8 }\n')
    heard: list[str] = []
    models = load_models(path, warn=heard.append)
    assert models["m"].token_env == "MY_TOKEN" and models["m"].params == {"truncation": 0.8}
    assert heard == [f"{path}: ignoring title (only [models.NAME] tables are read)",
                     f"{path}: models.m: ignoring unknown key imput (known: provider, url, token_env, input, output, "
                     "model, version, params)"]


def test_the_cli_reports_a_bad_file_without_a_traceback(tmp_path):
    path = tmp_path / "models.toml"
    path.write_text(GOOD + 'params = "x"\n')
    result = run_cli("generate", "clouds", "--model", "m", "--models", str(path), "-o", str(tmp_path / "g.png"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == f"shaderlab: error: {path}: models.m.params must be a table, like params = " \
                                    "{ truncation = 0.8 }, not text"


@pytest.mark.window
def test_the_window_starts_with_a_bad_models_toml_in_the_folder(display, tmp_path):
    """`play` reads ./models.toml when present: a stray one is a message, never a crash."""
    (tmp_path / "models.toml").write_text(GOOD + 'params = "x"\n')  # was a ValueError out of the loader
    result = run_cli("play", str(IMAGES / "chelsea.png"), "--frames", "3", cwd=tmp_path, env={"DISPLAY": display}, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "shaderlab: error: models.toml: models.m.params must be a table" in result.stderr
    assert "Traceback" not in result.stderr
