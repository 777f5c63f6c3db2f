"""Model configuration (TOML): which provider, where, which fields, which token variable.

    [models.depth]
    provider = "runway"                 # runway | huggingface | replicate | cog
    url = "https://example.hosted-models.runwayml.cloud/v1"
    token_env = "RUNWAY_TOKEN"          # the token is read from this variable, never stored
    input = "image"                     # optional: else the first image input in /info
    output = "depth"                    # optional: else the first image output

Tokens come only from the environment; they are never written to scenes, caches or messages.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from shaderlab.errors import ShaderlabError
from shaderlab.models.http import Client, Limits, check_url
from shaderlab.models.providers import HuggingFaceProvider, Provider, ReplicateProvider, RunwayProvider

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

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
            check_url(self.url)

    def token(self) -> str | None:
        return os.environ.get(self.token_env) if self.token_env else None


def load_models(path: str | Path) -> dict[str, ModelConfig]:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ShaderlabError(f"{path}: no such model configuration") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ShaderlabError(f"{path}: cannot read model configuration ({exc})") from None
    models = data.get("models", {})
    if not isinstance(models, dict):
        raise ShaderlabError(f"{path}: [models.NAME] tables expected")
    configs = {}
    for name, raw in models.items():
        if not isinstance(raw, dict) or not isinstance(raw.get("provider"), str):
            raise ShaderlabError(f"{path}: models.{name} needs a provider")
        if raw["provider"] != "builtin" and not isinstance(raw.get("url"), str):
            raise ShaderlabError(f"{path}: models.{name} needs a url (the model file, for onnx)")
        configs[name] = ModelConfig(
            name=name, provider=raw["provider"], url=raw.get("url", ""), token_env=raw.get("token_env"),
            input=raw.get("input"), output=raw.get("output"), model=raw.get("model"),
            version=raw.get("version"), params=dict(raw.get("params", {})),
        )
    return configs


def make_provider(config: ModelConfig, on_status: Callable[[str], None] = lambda s: None,
                  cancelled: Callable[[], bool] = lambda: False, limits: Limits = Limits()) -> Provider:
    if config.provider in LOCAL:
        return LocalDepthProvider(config)
    client = Client(config.token(), limits, cancelled)
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
