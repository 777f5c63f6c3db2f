"""Start every variable declared without a value at zero, as browsers (WebGL) do.

Shadertoy and ISF files written in a browser often declare ``vec3 col;`` and then ``col += …``:
WebGL zero-initialises it, desktop drivers leave whatever was in the register, so the shader
draws garbage. This gives each such declaration its zero (``vec3 col = vec3(0.0);``) — locals
and plain globals; never uniforms, ins, outs or consts (those carry a qualifier), struct
members or function parameters. Only text is inserted, never a newline, so the driver's line
numbers stay the file's. Comments and preprocessor lines are left alone.
"""

from __future__ import annotations

import re

_SCALARS = {"float": "0.0", "int": "0", "uint": "0u", "bool": "false"}
_TYPE = r"(?:float|int|uint|bool|[biu]?vec[234]|mat[234](?:x[234])?)"
# A declaration at the start of a statement: optional precision, a type, then declarators.
_DECLARATION = re.compile(rf"\s*(?:(?:highp|mediump|lowp|precise)\s+)*(?P<type>{_TYPE})\s+(?=[A-Za-z_])")
_DECLARATOR = re.compile(r"\s*(?P<name>[A-Za-z_]\w*)\s*(?:\[\s*(?P<size>\d+)\s*\])?\s*")
_STRUCT = re.compile(r"\bstruct(?:\s+\w+)?\s*$")
# Comments, and preprocessor lines with their backslash continuations.
_NOISE = re.compile(r"//[^\n]*|/\*.*?(?:\*/|\Z)|^[ \t]*#(?:[^\n\\]|\\.)*", re.DOTALL | re.MULTILINE)
_NOT_NEWLINE = re.compile(r"[^\n]")
#: Arrays longer than this are left alone (their constructor would be a long line).
MAX_ARRAY = 64


def zero_value(type_name: str, size: int | None = None) -> str:
    """GLSL for the zero of a type (``vec3(0.0)``), or of an array of ``size`` of them."""
    if type_name in _SCALARS:
        one = _SCALARS[type_name]
    else:
        base = {"b": "false", "i": "0", "u": "0u"}.get(type_name[0], "0.0")
        one = f"{type_name}({base})"
    if size is None:
        return one
    return f"{type_name}[{size}]({', '.join([one] * size)})"


def zero_initialise(text: str) -> str:
    """``text`` with each declaration that has no initialiser given its zero."""
    code = _code_only(text)
    insertions: list[tuple[int, str]] = []
    for start in _statement_starts(code):
        match = _DECLARATION.match(code, start)
        if match is None:
            continue
        end = _statement_end(code, match.end())
        if end is None:
            continue
        insertions += _zeros(code, match.group("type"), match.end(), end)
    pieces, last = [], 0
    for position, zero in sorted(insertions):
        pieces += [text[last:position], zero]
        last = position
    return "".join(pieces) + text[last:]


def _code_only(text: str) -> str:
    """The text with comments and preprocessor lines blanked (newlines kept), so positions
    in it are positions in the text."""
    return _NOISE.sub(lambda m: _NOT_NEWLINE.sub(" ", m.group(0)), text)


def _statement_starts(code: str) -> list[int]:
    """Where statements may begin: the file's start, and after ``;``, ``{`` or ``}`` outside
    parentheses — except inside struct and interface-block bodies."""
    starts = [0]
    parens = 0
    blocks: list[bool] = []  # per open brace: does it hold statements?
    for i, c in enumerate(code):
        if c in "([":
            parens += 1
        elif c in ")]":
            parens = max(0, parens - 1)
        elif parens:
            continue
        elif c == "{":
            before = code[max(0, i - 200):i].rstrip()  # enough to see "struct Name" or ")"
            statements = (blocks[-1] if blocks else before.endswith(")")) and not _STRUCT.search(before)
            blocks.append(statements)
            if statements:
                starts.append(i + 1)
        elif c == "}":
            if blocks:
                blocks.pop()
            if not blocks or blocks[-1]:
                starts.append(i + 1)
        elif c == ";" and (not blocks or blocks[-1]):
            starts.append(i + 1)
    return starts


def _statement_end(code: str, start: int) -> int | None:
    depth = 0
    for i in range(start, len(code)):
        c = code[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                return None
            depth -= 1
        elif c == ";" and depth == 0:
            return i
    return None


def _zeros(code: str, type_name: str, start: int, end: int) -> list[tuple[int, str]]:
    """The zero to insert after each declarator from ``start`` to ``end`` that has none; none
    at all if one of them is not a plain declarator (then this is not a declaration we know)."""
    pieces, depth, piece_start = [], 0, start
    for i in range(start, end):
        c = code[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "," and depth == 0:
            pieces.append((piece_start, i))
            piece_start = i + 1
    pieces.append((piece_start, end))
    zeros = []
    for first, last in pieces:
        match = _DECLARATOR.match(code, first, last)
        if match is None:
            return []
        if match.end() == last:  # no initialiser
            size = match.group("size")
            if size is not None and not 0 < int(size) <= MAX_ARRAY:
                continue
            value = zero_value(type_name, int(size) if size else None)
            name_end = code.index("]", match.end("size")) + 1 if size else match.end("name")
            zeros.append((name_end, f" = {value}"))
        elif code[match.end()] != "=" or code.startswith("==", match.end()):
            return []
    return zeros
