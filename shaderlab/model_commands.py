"""The model commands of the CLI: depth (from a model), generate (a picture), prefetch (fill
the cache before a show). The parser lives in cli.py; user errors raise ShaderlabError."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from shaderlab.errors import ShaderlabError
from shaderlab.io.images import load_image
from shaderlab.io.save import png_bytes, write_new
from shaderlab.scene import load_scene

log = logging.getLogger("shaderlab")


def depth(options: argparse.Namespace) -> int:
    import io

    import numpy as np
    from PIL import Image

    from shaderlab.models.config import ModelConfig, make_provider

    if options.provider or options.url:
        if not options.provider or (options.provider != "builtin" and not options.url):
            raise ShaderlabError("--provider and --url go together (--url is the model file for onnx)")
        config = ModelConfig("command line", options.provider, options.url or "", options.token_env)
    elif options.model:
        config = named_model(options.models, options.model)
    else:
        raise ShaderlabError("name a --model from --models, or give --provider and --url")
    output: Path = options.output
    if output.exists():
        raise ShaderlabError(f"{output}: exists already; choose another name")
    pixels = load_image(options.input).pixels[..., :3]  # as prefetch and the window send it
    from shaderlab.models.cache import ModelCache, cache_key

    cache = ModelCache(options.cache)
    key = cache_key(config, "depth", {}, pixels)
    depth = None if options.no_cache else cache.get(key)
    if depth is None:
        provider = make_provider(config, on_status=lambda status: log.info("%s: %s", config.name, status))
        depth = provider.depth(pixels)
        cache.put(key, depth)
    else:
        log.info("%s: depth from the cache", config.name)
    if depth.shape != pixels.shape[:2]:
        from shaderlab.io.depth import resize_depth

        depth = resize_depth(depth, (pixels.shape[1], pixels.shape[0]))
    data = np.rint(np.clip(depth, 0, 1) * 65535).astype(np.uint16)
    buffer = io.BytesIO()
    Image.fromarray(data).save(buffer, format="PNG")
    try:
        write_new(output, buffer.getvalue())
    except FileExistsError:
        raise ShaderlabError(f"{output}: exists already; choose another name") from None
    log.info("wrote %s (%d×%d depth, near = bright)", output, data.shape[1], data.shape[0])
    return 0


def named_model(models_path: Path, name: str):
    from shaderlab.models.config import load_models

    models = load_models(models_path)
    if name not in models:
        raise ShaderlabError(f"{models_path}: no model {name!r} (it has: {', '.join(models) or 'none'})")
    return models[name]


def generate(options: argparse.Namespace) -> int:
    import numpy as np

    output: Path = options.output
    if output.exists():
        raise ShaderlabError(f"{output}: exists already; choose another name")
    if not output.parent.is_dir():
        raise ShaderlabError(f"{output.parent}: no such folder")
    if options.model:
        from shaderlab.models.cache import ModelCache, cache_key
        from shaderlab.models.config import make_provider

        config = named_model(options.models, options.model)
        params = {"seed": options.seed, "kind": options.kind, **config.params}
        cache = ModelCache(options.cache)
        key = cache_key(config, "generate", params, None)
        pixels = cache.get(key)
        if pixels is None:
            provider = make_provider(config, on_status=lambda status: log.info("%s: %s", config.name, status))
            pixels = provider.generate(params)
            cache.put(key, pixels)
    else:
        from shaderlab.render.renderer import Renderer

        size = options.size or ((640, 960) if options.kind == "books" else (1024, 768))
        with Renderer() as renderer:
            blank = np.zeros((size[1], size[0], 3), np.uint8)
            pixels = renderer.render(blank, [(f"gen_{options.kind}", {"seed": float(options.seed)})])
    try:
        write_new(output, png_bytes(pixels))
    except FileExistsError:
        raise ShaderlabError(f"{output}: exists already; choose another name") from None
    log.info("wrote %s (%s, seed %d, %d×%d)", output, options.kind, options.seed, pixels.shape[1], pixels.shape[0])
    return 0


def prefetch(options: argparse.Namespace) -> int:
    """Ask every model now, so the window finds the answers in the cache during the show."""
    from tqdm import tqdm

    from shaderlab.models.cache import ModelCache, cache_key
    from shaderlab.models.config import make_provider

    scene = load_scene(options.scene)
    cache = ModelCache(options.cache)
    jobs: list[tuple] = []
    if options.model:
        if scene.image is None:
            raise ShaderlabError(f"{options.scene}: the scene has no source image to get depth for")
        pixels = load_image(scene.image).pixels[..., :3]
        jobs += [(named_model(options.models, name), "depth", {}, pixels) for name in options.model]
    for text in options.generate:
        try:
            name, kind, seeds = text.split(":")
            first, _, last = seeds.partition("-")
            numbers = range(int(first), int(last or first) + 1)
        except ValueError:
            raise ShaderlabError(f"--generate {text!r}: write MODEL:KIND:SEEDS, like clouds-model:clouds:1-20") from None
        config = named_model(options.models, name)
        jobs += [(config, "generate", {"kind": kind, "seed": seed, **config.params}, None) for seed in numbers]
    fetched = 0
    for config, operation, params, pixels in tqdm(jobs, unit="answer", disable=None):
        key = cache_key(config, operation, params, pixels)
        if cache.get(key) is not None:
            continue
        provider = make_provider(config)
        answer = provider.depth(pixels) if operation == "depth" else provider.generate(params)
        cache.put(key, answer)
        fetched += 1
    log.info("cache %s: %d answers fetched, %d already there", cache.folder, fetched, len(jobs) - fetched)
    return 0
