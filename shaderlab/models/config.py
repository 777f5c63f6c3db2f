"""Model configuration (TOML): which provider, where, which fields, which token variable.

    [models.depth]
    provider = "runway"                 # runway | huggingface | replicate | cog
    url = "https://example.hosted-models.runwayml.cloud/v1"
    token_env = "RUNWAY_TOKEN"          # the token is read from this variable, never stored
    input = "image"                     # optional: else the first image input in /info
    output = "depth"                    # optional: else the first image output

Tokens come only from the environment; they are never written to scenes, caches or messages.
A file is checked key by key as it loads: each error is one line naming the file and the key
(never its value: it might be a pasted token), and a key this version does not know is a warning.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from shaderlab.errors import ShaderlabError
from shaderlab.models.http import Client, Limits, ModelError, check_url
from shaderlab.models.providers import HuggingFaceProvider, Provider, ReplicateProvider, RunwayProvider

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

log = logging.getLogger("shaderlab")

PROVIDERS = ("runway", "huggingface", "replicate", "cog", "builtin", "onnx")
#: Providers that run here, without HTTP (`url` is the model file for onnx, unused for builtin).
LOCAL = ("builtin", "onnx")


@dataclass(frozen=True)
class ModelConfig:
    name: str
    provider: str
    url: str
    token_env: str | None = None
    input: str | None = None
    output: str | None = None
    model: str | None = None  # replicate: owner/name
    version: str | None = None  # replicate: a version id
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.provider not in PROVIDERS:
            raise ShaderlabError(f"model {self.name!r}: provider {self.provider!r} is not one of {', '.join(PROVIDERS)}")
        if self.provider not in LOCAL:
            try:
                check_url(self.url)
            except ModelError as exc:
                raise ModelError(f"model {self.name!r}: {exc}") from None

    def token(self) -> str | None:
        return os.environ.get(self.token_env) if self.token_env else None


#: The keys of a [models.NAME] table whose values are text.
TEXT_KEYS = ("provider", "url", "token_env", "input", "output", "model", "version")
KNOWN_KEYS = (*TEXT_KEYS, "params")
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def load_models(path: str | Path, warn: Callable[[str], None] = log.warning) -> dict[str, ModelConfig]:
    """The models of a configuration file, every key checked; ``warn`` hears of unknown keys."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ShaderlabError(f"{path}: no such model configuration") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ShaderlabError(f"{path}: cannot read model configuration ({exc})") from None
    unknown = sorted(set(data) - {"models"})
    if unknown:
        warn(f"{path}: ignoring {', '.join(unknown)} (only [models.NAME] tables are read)")
    models = data.get("models", {})
    if not isinstance(models, dict):
        raise ShaderlabError(f"{path}: models must be tables, like [models.depth]")
    return {name: _model(path, name, raw, warn) for name, raw in models.items()}


def _model(path: Path, name: str, raw: Any, warn: Callable[[str], None]) -> ModelConfig:
    where = f"{path}: models.{name}"
    if not isinstance(raw, dict):
        raise ShaderlabError(f"{where} must be a table ([models.{name}]), not {_kind(raw)}")
    if "token" in raw:  # never echoed: it is the secret itself
        raise ShaderlabError(f'{where}.token: tokens are never read from files; put it in an environment variable '
                             f'and name that variable with token_env = "MY_TOKEN"')
    for key in TEXT_KEYS:
        if key in raw and not isinstance(raw[key], str):
            raise ShaderlabError(f'{where}.{key} must be text in quotes, not {_kind(raw[key])}')
    if "params" in raw and not isinstance(raw["params"], dict):
        raise ShaderlabError(f"{where}.params must be a table, like params = {{ truncation = 0.8 }}, not {_kind(raw['params'])}")
    extra = sorted(set(raw) - set(KNOWN_KEYS))
    if extra:
        warn(f"{where}: ignoring unknown key{'s' if len(extra) > 1 else ''} {', '.join(extra)} (known: {', '.join(KNOWN_KEYS)})")
    if "provider" not in raw:
        raise ShaderlabError(f"{where} needs a provider ({', '.join(PROVIDERS)})")
    if raw["provider"] != "builtin" and "url" not in raw:
        raise ShaderlabError(f"{where} needs a url (the model file, for onnx)")
    token_env = raw.get("token_env")
    if token_env is not None and not _VARIABLE.fullmatch(token_env):
        raise ShaderlabError(f'{where}.token_env must name an environment variable (letters, digits, _), like token_env = "MY_TOKEN"')
    try:
        return ModelConfig(
            name=name, provider=raw["provider"], url=raw.get("url", ""), token_env=token_env,
            input=raw.get("input"), output=raw.get("output"), model=raw.get("model"),
            version=raw.get("version"), params=dict(raw.get("params", {})),
        )
    except ShaderlabError as exc:
        raise ShaderlabError(f"{path}: {exc}") from None


def _kind(value: Any) -> str:
    """A TOML value's kind in words (the value itself is never shown)."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return "a date or time"


def make_provider(config: ModelConfig, on_status: Callable[[str], None] = lambda s: None,
                  cancelled: Callable[[], bool] = lambda: False, limits: Limits = Limits()) -> Provider:
    if config.provider in LOCAL:
        return LocalDepthProvider(config)
    client = Client(config.token(), limits, cancelled, home=config.url)
    if config.provider == "runway":
        return RunwayProvider(config.url, client, config.input, config.output, on_status=on_status)
    if config.provider in ("replicate", "cog"):
        return ReplicateProvider(config.url, client, config.model, config.version, config.input or "image",
                                 cog=config.provider == "cog", on_status=on_status)
    return HuggingFaceProvider(config.url, client, on_status=on_status)


class LocalDepthProvider:
    """Depth without a network: an ONNX model file, or the built-in estimate."""

    def __init__(self, config: ModelConfig):
        from shaderlab.models.http import Client

        self.name = config.provider
        self.config = config
        self.client = Client()  # nothing is sent; kept so every provider can be closed alike
        self._model = None
        if config.provider == "onnx":
            from shaderlab.models.onnx_depth import OnnxDepth

            self._model = OnnxDepth(config.url, str(config.params.get("preset", "depth-anything")))

    def depth(self, pixels):
        from shaderlab.io.depth import estimate_depth_builtin

        return self._model.estimate(pixels) if self._model else estimate_depth_builtin(pixels)

    def generate(self, params):
        raise ShaderlabError(f"{self.config.name}: {self.name} makes depth only; the built-in generators run on the GPU")

    def transform(self, pixels, params):
        raise ShaderlabError(f"{self.config.name}: {self.name} makes depth only; enhance with a hosted image-to-image model")
