"""The GLSL that real ISF files are written in, made into what a core-profile context compiles.

Files in the wild target GLSL 1.10–1.50 and whatever desktop drivers forgave: ``varying``,
``texture2D``, ISF v1's ``vv_`` names, inputs called ``smooth`` or ``sample`` (keywords in later
GLSL), helper functions called ``round`` or ``tanh`` (built-ins since 1.30). Files written in a
browser (ISF and Shadertoy alike) also count on what WebGL does: see :func:`browser_quirks`.
Each rewrite here keeps the line count, so compile errors still point at the file's own lines.
"""

from __future__ import annotations

import functools
import re

from shaderlab.isf.zero_init import zero_initialise

#: Words a name may not be in GLSL 4.60 (keywords and those reserved for the future).
RESERVED = frozenset(
    """attribute const uniform varying buffer shared coherent volatile restrict readonly writeonly
    atomic_uint layout centroid flat smooth noperspective patch sample break continue do for while
    switch case default if else subroutine in out inout float double int void bool true false
    invariant precise discard return mat2 mat3 mat4 dmat2 dmat3 dmat4 mat2x2 mat2x3 mat2x4 mat3x2
    mat3x3 mat3x4 mat4x2 mat4x3 mat4x4 vec2 vec3 vec4 ivec2 ivec3 ivec4 bvec2 bvec3 bvec4 dvec2
    dvec3 dvec4 uint uvec2 uvec3 uvec4 lowp mediump highp precision sampler1D sampler2D sampler3D
    samplerCube sampler2DRect struct common partition active asm class union enum typedef template
    this resource goto inline noinline public static extern external interface long short half
    fixed unsigned superp input output hvec2 hvec3 hvec4 fvec2 fvec3 fvec4 filter sizeof cast
    namespace using image1D image2D image3D texture main""".split()
)
#: Built-in functions added after GLSL 1.20, which old files define for themselves.
LATER_BUILTINS = frozenset(
    """round roundEven trunc sinh cosh tanh asinh acosh atanh isnan isinf modf determinant inverse
    fma frexp ldexp bitCount findLSB findMSB packUnorm2x16 unpackUnorm2x16 packHalf2x16
    unpackHalf2x16 floatBitsToInt intBitsToFloat""".split()
)
_DEFINITION = re.compile(
    r"\b(?:float|int|uint|bool|void|[biud]?vec[234]|mat[234](?:x[234])?)\s+(?P<name>[A-Za-z_]\w*)\s*\([^;{)]*\)\s*\{"
)
_VERSION_LINE = re.compile(r"^[ \t]*#version[^\n]*", re.MULTILINE)
_NUMBER = r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?"
# Literal initializers that desktop drivers convert and core GLSL refuses:
# "vec3 c = 1.0;" (a scalar for a vector) and "int i = 2.0;" (a float for an int).
_SCALAR_FOR_VECTOR = re.compile(rf"\b((?:[iu]?vec|mat)[234])(\s+\w+\s*=\s*)({_NUMBER})(\s*[;,])")
_FLOAT_FOR_INT = re.compile(rf"\b(int)(\s+\w+\s*=\s*)({_NUMBER})(\s*[;,])")
# "#elseif" is no directive: browsers' preprocessor (ANGLE) ignores unknown directives in a
# skipped group, the only place a working file can have one; Mesa reads "#else if" and fails.
_ELSEIF = re.compile(r"^[ \t]*#[ \t]*elseif\b", re.MULTILINE)


@functools.lru_cache(maxsize=8)  # the watcher thread rewrites new code; the GL thread finds it done
def browser_quirks(text: str) -> str:
    """What WebGL accepts and desktop drivers do not: every declared variable starts at zero
    (desktop drivers leave garbage), and an ``#elseif`` line is ignored, as browsers ignore it
    (it is not ``#elif``: in a browser, the group it seems to open stays skipped)."""
    return zero_initialise(_ELSEIF.sub(lambda m: "// " + m.group(0), text))


def glsl_name(name: str) -> str:
    """The uniform name an input, buffer or imported image has in GLSL."""
    return f"isf_{name}" if name in RESERVED or name.startswith("gl_") else name


def translate(body: str, names: list[str] | tuple[str, ...], stage: str) -> str:
    """The file's text for ``stage`` ("fragment" or "vertex"), rewritten line for line.

    Remembered for the last files seen: a 100,000-line file takes a second of Python here, which
    the shader watcher spends on its own thread (library.prepare_code) instead of the GL thread."""
    return _translated(body, tuple(names), stage)


@functools.lru_cache(maxsize=8)
def _translated(body: str, names: tuple[str, ...], stage: str) -> str:
    body = _VERSION_LINE.sub("", body)  # the preamble declares the version
    body = re.sub(r"\bvv_(FragNormCoord|vertShaderInit)\b", r"isf_\1", body)  # ISF v1
    body = re.sub(r"\bvarying\b", "in" if stage == "fragment" else "out", body)
    if stage == "vertex":
        body = re.sub(r"\battribute\b", "in", body)
    for name in names:
        renamed = glsl_name(name)
        if renamed != name:
            # Not a member (.sample) nor a call (texture(...)): the name of this input.
            body = re.sub(rf"(?<![.\w]){re.escape(name)}\b(?!\s*\()", renamed, body)
    body = _SCALAR_FOR_VECTOR.sub(r"\1\2\1(\3)\4", body)
    body = _FLOAT_FOR_INT.sub(lambda m: m.group(0) if re.fullmatch(r"[-+]?\d+", m.group(3)) else f"{m.group(1)}{m.group(2)}int({m.group(3)}){m.group(4)}", body)
    for name in sorted({m.group("name") for m in _DEFINITION.finditer(body)} & LATER_BUILTINS):
        body = re.sub(rf"(?<![.\w]){name}\b", f"isf_fn_{name}", body)
    return browser_quirks(body)
