"""The model commands of the CLI: depth (from a model), generate (a picture), prefetch (fill
the cache before a show). The parser lives in cli.py; user errors raise ShaderlabError."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from shaderlab.errors import ShaderlabError
from shaderlab.io.images import load_image
from shaderlab.io.atomic import refuse_existing
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
    refuse_existing(output)  # before asking a model: a taken or unwritable name fails at once
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
    write_new(output, buffer.getvalue())
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
    refuse_existing(output)
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
    write_new(output, png_bytes(pixels))
    log.info("wrote %s (%s, seed %d, %d×%d)", output, options.kind, options.seed, pixels.shape[1], pixels.shape[0])
    return 0


#: The most seeds one --generate may ask for: a typo like 1-100000000 is refused, not started.
MAX_SEEDS = 10_000


def seed_range(text: str) -> tuple[str, str, range]:
    """MODEL:KIND:FIRST[-LAST] as (model, kind, seeds), checked before anything is fetched."""
    usage = f"--generate {text!r}: write MODEL:KIND:SEEDS, like clouds-model:clouds:1-20 (seeds 0 or more)"
    try:
        name, kind, seeds = text.split(":")
        first, dash, last = seeds.partition("-")
        low, high = int(first), int(last) if dash else int(first)
    except ValueError:
        raise ShaderlabError(usage) from None
    if not name or not kind or low < 0:
        raise ShaderlabError(usage)
    if high < low:
        raise ShaderlabError(f"--generate {text!r}: the seeds run backwards; write {high}-{low}")
    if high - low + 1 > MAX_SEEDS:
        raise ShaderlabError(f"--generate {text!r}: {high - low + 1:,} seeds is over the {MAX_SEEDS:,} one --generate "
                             "may ask for; split the range into several --generate")
    return name, kind, range(low, high + 1)


def prefetch(options: argparse.Namespace) -> int:
    """Ask every model now, so the window finds the answers in the cache during the show.

    Everything is checked first (scene, models, seed ranges); the jobs are then made one at a
    time, so the memory stays that of one answer however many seeds are asked."""
    from tqdm import tqdm

    from shaderlab.models.cache import ModelCache, cache_key
    from shaderlab.models.config import make_provider

    scene = load_scene(options.scene)
    cache = ModelCache(options.cache)
    generates = []
    for text in options.generate:
        name, kind, seeds = seed_range(text)
        generates.append((named_model(options.models, name), kind, seeds))
    depth_models = [named_model(options.models, name) for name in options.model]
    pixels = None
    if depth_models:
        if scene.image is None:
            raise ShaderlabError(f"{options.scene}: the scene has no source image to get depth for")
        pixels = load_image(scene.image).pixels[..., :3]

    def jobs():
        for config in depth_models:
            yield config, "depth", {}, pixels
        for config, kind, seeds in generates:
            for seed in seeds:
                yield config, "generate", {"kind": kind, "seed": seed, **config.params}, None

    total = len(depth_models) + sum(len(seeds) for _, _, seeds in generates)
    providers: dict[str, object] = {}  # one per model: its connections are reused
    fetched = 0
    try:
        for config, operation, params, image in tqdm(jobs(), total=total, unit="answer", disable=None):
            key = cache_key(config, operation, params, image)
            if cache.get(key) is not None:
                continue
            provider = providers.get(config.name)
            if provider is None:
                provider = providers[config.name] = make_provider(config)
            answer = provider.depth(image) if operation == "depth" else provider.generate(params)
            cache.put(key, answer)
            fetched += 1
    finally:
        for provider in providers.values():
            provider.client.close()
    log.info("cache %s: %d answers fetched, %d already there", cache.folder, fetched, total - fetched)
    return 0
