"""Turn an ISF effect into GLSL the context compiles, and compile logs back into ``file:line``.

The effect's own text is kept whole (header comment included) after a ``#line 1``, so the
driver's line numbers are the file's line numbers. The generated preamble is numbered from
``PREAMBLE_LINE`` so that an error in it cannot be mistaken for one in the file.
"""

from __future__ import annotations

import re

from shaderlab.isf.dialect import glsl_name, translate
from shaderlab.isf.header import EffectSpec

GLSL_VERSION = "#version 330 core"
PREAMBLE_LINE = 100000

_UNIFORM_TYPES = {
    "float": "float",
    "long": "int",
    "bool": "bool",
    "event": "bool",
    "color": "vec4",
    "point2D": "vec2",
    "image": "sampler2D",
    "audio": "sampler2D",
    "audioFFT": "sampler2D",
}

VERTEX_SHADER = f"""{GLSL_VERSION}
// A fullscreen triangle from gl_VertexID: no vertex buffer needed.
void main() {{
    vec2 p = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));
    gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0);
}}
"""

# isf_FragNormCoord comes from gl_FragCoord rather than a varying: exactly the texel centre,
# so sampling an input of the render size returns its texels unchanged.
# SHADERLAB tells a file it runs here, where INPUT_AT_RENDERSIZE is honoured (render/fit.py):
# a file that asks for its input at the render size may read it with texelFetch.
_BUILTINS = """#define SHADERLAB 1
uniform float TIME;
uniform float TIMEDELTA;
uniform int FRAMEINDEX;
uniform vec2 RENDERSIZE;
uniform int PASSINDEX;
uniform vec4 DATE;
out vec4 isf_FragColor;
#define gl_FragColor isf_FragColor
#define texture2D texture
#define isf_FragNormCoord (gl_FragCoord.xy / RENDERSIZE)
#define texture2DProj textureProj
#define texture2DLod textureLod
#define texture2DGrad textureGrad
#define textureCube texture
#define IMG_SIZE(img) vec2(textureSize(img, 0))
#define IMG_PIXEL(img, coord) texture(img, (coord) / IMG_SIZE(img))
#define IMG_NORM_PIXEL(img, coord) texture(img, coord)
#define IMG_THIS_PIXEL(img) texture(img, isf_FragNormCoord)
#define IMG_THIS_NORM_PIXEL(img) texture(img, isf_FragNormCoord)
#define IMG_NORM_THIS_PIXEL(img) texture(img, isf_FragNormCoord)
"""

_MESA_LOG = re.compile(r"^\s*\d+:(?P<line>\d+)\(\d+\):\s*(?P<msg>.*)$")
_NVIDIA_LOG = re.compile(r"^\s*\d+\((?P<line>\d+)\)\s*:\s*(?P<msg>.*)$")


_PASSINDEX_UNIFORM = "uniform int PASSINDEX;"


def specialises_passes(spec: EffectSpec) -> bool:
    """Whether each pass of ``spec`` gets a program of its own, with PASSINDEX a constant: the
    compiler then drops the other passes' code, which a CPU rasterizer otherwise pays for in
    every pass even where a branch skips it (llvmpipe: 25 ms of a 1080p pass)."""
    return len(spec.passes) > 1


def _builtins_for(pass_index: int | None) -> str:
    if pass_index is None:
        return _BUILTINS
    return _BUILTINS.replace(_PASSINDEX_UNIFORM, f"#define PASSINDEX {int(pass_index)}")


def fragment_source(spec: EffectSpec, version: int = 330, pass_index: int | None = None) -> str:
    """The complete fragment shader for ``spec``: preamble, uniforms, then the file's text;
    with ``pass_index``, for that pass alone (see specialises_passes)."""
    builtins = _builtins_for(pass_index)
    if spec.vertex is not None:
        builtins = builtins.replace(_NORM_COORD_MACRO, "in vec2 isf_FragNormCoord;")
    body = translate(spec.source, _declared_names(spec), "fragment")
    return "\n".join([glsl_version(version), f"#line {PREAMBLE_LINE}", builtins, *_uniforms(spec), "#line 1", body])


#: The first GL version with compute shaders.
COMPUTE_VERSION = 430

# A pass as a compute shader (see compute_source): the file's main() runs once an invocation
# with gl_FragCoord at the pixel's centre, and its colour is stored into the pass's target.
_COMPUTE_BUILTINS = """vec4 isf_FragColor;
vec4 isf_PixelCentre;
#define gl_FragCoord isf_PixelCentre
#define main isf_main"""
_COMPUTE_MAIN = """#undef main
layout(local_size_x = {side}, local_size_y = {side}) in;
layout({format}, binding = 0) uniform writeonly image2D isf_Target;
void main() {{
    ivec2 pixel = ivec2(gl_GlobalInvocationID.xy);
    if (any(greaterThanEqual(vec2(pixel), RENDERSIZE))) return;
    isf_PixelCentre = vec4(vec2(pixel) + 0.5, 0.0, 1.0);
    isf_FragColor = vec4(0.0);
    isf_main();
    imageStore(isf_Target, pixel, isf_FragColor);
}}"""
#: Invocations a side of a compute work group (a multiple of every GPU's warp or wave).
COMPUTE_GROUP = 16


def compute_source(spec: EffectSpec, version: int, pass_index: int, float_target: bool) -> str:
    """Pass ``pass_index`` of ``spec`` as a compute shader writing its target through an image
    (``rgba32f`` for FLOAT targets, else ``rgba8``). Texture reads have no derivatives there
    (level 0, as our textures have no others); a file that needs them (dFdx, a bias, discard)
    does not compile this way, and runs as a fragment shader."""
    builtins = _builtins_for(pass_index).replace("out vec4 isf_FragColor;\n", "")
    body = translate(spec.source, _declared_names(spec), "fragment")
    main = _COMPUTE_MAIN.format(side=COMPUTE_GROUP, format="rgba32f" if float_target else "rgba8")
    return "\n".join([glsl_version(max(version, COMPUTE_VERSION)), f"#line {PREAMBLE_LINE}", _COMPUTE_BUILTINS, builtins,
                      *_uniforms(spec), "#line 1", body, f"#line {PREAMBLE_LINE + 100}", main])


def vertex_source(spec: EffectSpec, version: int = 330, pass_index: int | None = None) -> str:
    """The vertex shader: ours, or the file's companion ``.vs`` with ``isf_vertShaderInit()``."""
    if spec.vertex is None:
        return VERTEX_SHADER.replace(GLSL_VERSION, glsl_version(version), 1)
    builtins = "\n".join(line for line in _builtins_for(pass_index).splitlines()
                         if not line.startswith(("out ", "#define gl_FragColor", _NORM_COORD_MACRO)))
    body = translate(spec.vertex, _declared_names(spec), "vertex")
    return "\n".join([glsl_version(version), f"#line {PREAMBLE_LINE}", builtins, *_uniforms(spec), _VERTEX_INIT, "#line 1", body])


def glsl_version(version: int) -> str:
    """The highest GLSL the context speaks, from 3.30 up (files are written for older ones)."""
    known = max((v for v in (330, 400, 410, 420, 430, 440, 450, 460) if v <= max(version, 330)), default=330)
    return f"#version {known} core"


def _declared_names(spec: EffectSpec) -> list[str]:
    return [i.name for i in spec.inputs] + [p.target for p in spec.passes if p.target] + list(spec.imported)


def _uniforms(spec: EffectSpec) -> list[str]:
    uniforms = [f"uniform sampler2D {glsl_name(name)};" for name in _sampler_names(spec)]
    # Every ISF host (VDMX's convention) declares these per image, and real files read them:
    # the image's rectangle in its texture (0, 0, w, h), its size, and whether it is flipped.
    uniforms += [
        f"uniform vec4 _{name}_imgRect; uniform vec2 _{name}_imgSize; uniform bool _{name}_flip;"
        for name in _sampler_names(spec)
    ]
    uniforms += [f"uniform {_UNIFORM_TYPES[i.type]} {glsl_name(i.name)};" for i in spec.inputs if not i.is_image]
    return uniforms


_NORM_COORD_MACRO = "#define isf_FragNormCoord (gl_FragCoord.xy / RENDERSIZE)"
# A quad drawn as a 4-vertex strip, corners at exactly 0 and 1 as in other ISF hosts: a .vs
# may do per-vertex work (clamping, say) that only a quad's corners interpolate correctly.
_VERTEX_INIT = """out vec2 isf_FragNormCoord;
void isf_vertShaderInit() {
    vec2 p = vec2(float(gl_VertexID & 1), float((gl_VertexID >> 1) & 1));
    gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0);
    isf_FragNormCoord = p;
}"""


def _sampler_names(spec: EffectSpec) -> list[str]:
    names = [i.name for i in spec.inputs if i.is_image]
    names += [p.target for p in spec.passes if p.target and p.target not in names]
    names += [n for n in spec.imported if n not in names]
    return names


def compile_errors(spec: EffectSpec, log_text: str) -> list[str]:
    """The driver's compile log as ``file:line: message`` lines."""
    lines: list[str] = []
    path = spec.path
    for raw in log_text.splitlines():
        if raw.strip() in ("vertex_shader", "fragment_shader"):  # moderngl names the stage
            vertex = raw.strip() == "vertex_shader" and spec.vertex is not None
            path = spec.path.with_suffix(".vs") if vertex else spec.path
            continue
        match = _MESA_LOG.match(raw) or _NVIDIA_LOG.match(raw)
        if not match:
            continue
        number = int(match.group("line"))
        message = match.group("msg").strip()
        if number >= PREAMBLE_LINE:
            lines.append(f"{path}:1: in the generated ISF declarations: {message}")
        else:
            lines.append(f"{path}:{number}: {message}")
    if not lines:
        detail = " ".join(log_text.split())[:300]
        lines.append(f"{spec.path}:1: shader did not compile: {detail}")
    return lines
