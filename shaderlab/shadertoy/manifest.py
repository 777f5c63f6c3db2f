"""Read Shadertoy code into an EffectSpec (no GL here).

A ``.glsl`` file with ``mainImage`` is a one-pass effect: iChannel0 is the chain's input,
iChannel1–3 the source picture unless given an image. A multipass shader is a manifest,
``NAME.shadertoy.toml``, beside its code:

    description = "Smoke that follows the mouse"
    common = "common.glsl"                 # optional, prepended to every pass

    [[passes]]
    name = "Buffer A"                      # Buffer A–D, then Image (the output)
    code = "buffer_a.glsl"
    channels = ["Buffer A", "input"]       # iChannel0–3: a buffer (its own: last frame),
                                           # "input", "source", an image file, or "" (black)
    [[passes]]
    name = "Image"
    code = "image.glsl"
    channels = ["Buffer A", { from = "rock.png", filter = "nearest", wrap = "clamp" }]

A channel is a name as above, or a table whose ``from`` is that name, with the sampler settings
Shadertoy's channel menu has: ``filter`` ("mipmap", "linear" or "nearest"), ``wrap`` ("repeat"
or "clamp") and, for image files, ``vflip`` (true: the image's top row is at the top, as the
site's default). Left out, they are the site's defaults: an image file is mipmap, repeat,
vflip; a buffer, the input or the source picture is linear, clamp ("mipmap" on the input or
source picture samples it linearly: the picture has no mipmaps).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from shaderlab.errors import ShaderError
from shaderlab.isf.header import EffectSpec, InputSpec

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

MANIFEST_SUFFIX = ".shadertoy.toml"
BUFFERS = ("Buffer A", "Buffer B", "Buffer C", "Buffer D")
IMAGE = "Image"
CHAIN_INPUT, SOURCE, BLACK = "input", "source", ""
_MAIN_IMAGE = re.compile(r"\bvoid\s+mainImage\s*\(")


FILTERS = ("mipmap", "linear", "nearest")
WRAPS = ("repeat", "clamp")


@dataclass(frozen=True)
class Sampling:
    """How a channel is sampled (Shadertoy's filter, wrap and vflip settings)."""

    filter: str = "linear"
    wrap: str = "clamp"
    vflip: bool = True


#: The site's defaults: image files are mipmapped and repeat; buffers and pictures clamp.
IMAGE_SAMPLING = Sampling("mipmap", "repeat", True)
BUFFER_SAMPLING = Sampling()


@dataclass(frozen=True)
class Pass:
    name: str  # a buffer name, or "Image"
    path: Path
    code: str
    channels: tuple[str, str, str, str]  # each: a buffer name, "input", "source", "" or an image path
    samplings: tuple[Sampling, ...] = (BUFFER_SAMPLING,) * 4


@dataclass(frozen=True)
class Program:
    passes: tuple[Pass, ...]  # buffers in order, the Image pass last
    common: tuple[Path, str] | None = None


def is_shadertoy(path: Path) -> bool:
    """A manifest, or a ``.glsl`` file with a ``mainImage`` (others are includes). A ``.glsl``
    that cannot be read as text counts as an effect, so that listing it says why."""
    if path.name.endswith(MANIFEST_SUFFIX):
        return True
    if path.suffix != ".glsl":
        return False
    try:
        return bool(_MAIN_IMAGE.search(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError):
        return True


def manifest_files(path: Path) -> set[Path]:
    """The code files a manifest names (its passes are not effects of their own); those it
    can, if it is broken (reading it as an effect then reports the error). Never raises."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):  # TOMLDecodeError is one
        return set()
    passes = data.get("passes")
    names = [p.get("code") for p in passes if isinstance(p, dict)] if isinstance(passes, list) else []
    names.append(data.get("common"))
    return {path.parent / name for name in names if isinstance(name, str) and name and "\0" not in name}


def effect_name(path: Path) -> str:
    return path.name[: -len(MANIFEST_SUFFIX)] if path.name.endswith(MANIFEST_SUFFIX) else path.stem


def parse_shadertoy(path: Path) -> EffectSpec:
    path = Path(path)
    if path.name.endswith(MANIFEST_SUFFIX):
        manifest = _read(path)
        program, description = _manifest(path, manifest)
    else:
        code = _read(path)
        if not _MAIN_IMAGE.search(code):
            raise ShaderError(f"{path}:1: no mainImage(out vec4 fragColor, in vec2 fragCoord) in this file")
        manifest = ""
        program = Program((Pass(IMAGE, path, code, (CHAIN_INPUT, SOURCE, SOURCE, SOURCE)),))
        description = "Shadertoy code"
    # Channels that take the picture are image inputs, so the panel and the API can set them.
    inputs = []
    for index, channel in enumerate(program.passes[-1].channels):
        if channel in (CHAIN_INPUT, SOURCE):
            name = "inputImage" if channel == CHAIN_INPUT and index == 0 else f"iChannel{index}"
            inputs.append(InputSpec(name, "image", label=f"iChannel{index}"))
    # The manifest too: a change of channels or sampler settings is a change of the effect.
    texts = [manifest] + [p.code for p in program.passes] + ([program.common[1]] if program.common else [])
    return EffectSpec(
        name=effect_name(path),
        path=path,
        source="\n".join(texts),  # any change to any file recompiles
        description=description,
        categories=("Shadertoy",),
        inputs=tuple(inputs),
        kind="shadertoy",
        program=program,
    )


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, ValueError) as exc:  # ValueError: a NUL in the name
        raise ShaderError(f"{path}: cannot read shader file ({exc})") from None


def _manifest(path: Path, text: str) -> tuple[Program, str]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ShaderError(f"{path}: broken manifest: {exc}") from None
    except RecursionError:
        raise ShaderError(f"{path}: broken manifest: nested too deeply") from None
    folder = path.parent
    common = None
    if data.get("common"):
        common_path = folder / _text(path, data, "common", "the common code file")
        common = (common_path, _read(common_path))
    description = _text(path, data, "description", "a description") if "description" in data else "Shadertoy code"
    raw_passes = data.get("passes")
    if not isinstance(raw_passes, list) or not raw_passes or not all(isinstance(p, dict) for p in raw_passes):
        raise ShaderError(f"{path}: a manifest needs [[passes]] tables, the last one named \"Image\"")
    passes = []
    for raw in raw_passes:
        name = raw.get("name", "")
        if name not in (*BUFFERS, IMAGE):
            raise ShaderError(f"{path}: pass name {_shown(name)} is not one of {', '.join((*BUFFERS, IMAGE))}")
        if "code" not in raw:
            raise ShaderError(f"{path}: pass {name!r} has no code file")
        code_path = folder / _text(path, raw, "code", f"pass {name!r}'s code file")
        channels = raw.get("channels", [])
        if not isinstance(channels, list) or not all(isinstance(c, (str, dict)) for c in channels) or len(channels) > 4:
            raise ShaderError(f"{path}: pass {name!r}: channels must be a list of up to 4 names or tables, not {_shown(channels)}")
        channels = channels + [BLACK] * (4 - len(channels))
        resolved = [_channel(path, name, channel) for channel in channels]
        passes.append(Pass(name, code_path, _read(code_path), tuple(c for c, _ in resolved), tuple(s for _, s in resolved)))
    names = [p.name for p in passes]
    if names[-1] != IMAGE or names.count(IMAGE) != 1 or len(set(names)) != len(names):
        raise ShaderError(f"{path}: passes must be distinct, and the last (only the last) must be \"Image\"")
    for p in passes:
        for channel in p.channels:
            if channel in BUFFERS and channel not in names:
                raise ShaderError(f"{path}: pass {p.name!r} reads {channel!r}, which no pass writes")
    return Program(tuple(passes), common), description


def _channel(path: Path, pass_name: str, raw: str | dict) -> tuple[str, Sampling]:
    """A channel entry as (what it reads, how): a name, or a table with ``from`` and settings."""
    where = f"{path}: pass {pass_name!r}"
    table = raw if isinstance(raw, dict) else {"from": raw}
    unknown = set(table) - {"from", "filter", "wrap", "vflip"}
    if unknown:
        raise ShaderError(f"{where}: a channel has unknown settings {sorted(unknown)} (from, filter, wrap, vflip)")
    channel = _text(path, table, "from", "a channel's buffer, input, source or image file")
    if channel in (*BUFFERS, CHAIN_INPUT, SOURCE, BLACK):
        default = BUFFER_SAMPLING
    elif (path.parent / channel).is_file():
        default, channel = IMAGE_SAMPLING, str((path.parent / channel).resolve())
    else:
        raise ShaderError(f"{where}: channel {channel!r} is not a buffer, input, source or an image file")
    filter_, wrap = table.get("filter", default.filter), table.get("wrap", default.wrap)
    vflip = table.get("vflip", default.vflip)
    if filter_ not in FILTERS or wrap not in WRAPS or not isinstance(vflip, bool):
        raise ShaderError(f"{where}: channel {channel!r}: filter must be one of {', '.join(FILTERS)}, "
                          f"wrap one of {', '.join(WRAPS)}, vflip true or false")
    if not vflip and default is not IMAGE_SAMPLING:
        raise ShaderError(f"{where}: channel {channel!r}: vflip applies to image files only")
    return channel, Sampling(filter_, wrap, vflip)


def _text(path: Path, table: dict, key: str, what: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or "\0" in value:
        raise ShaderError(f"{path}: {key} must be {what} (a string), not {_shown(value)}")
    return value


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
