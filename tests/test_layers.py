"""Imports flow downward (DESIGN.md, issue 12): a test walks the package's imports and fails on
a circle or on a layer that reaches up: app → ui, stage, control, show; ui → show; stage →
render, gl, show; control → show; show imports neither GL nor imgui, and the UI never holds a
moderngl object."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "shaderlab"
#: The top: the window, its panel and the command line. Nothing below imports them.
TOP = {"app", "ui", "cli", "commands", "model_commands", "__main__"}
#: show/ is the state of the show: it knows declarations and values, never GL or a window.
SHOW_MAY_IMPORT = {"show", "errors", "isf", "params", "scene", "io", "paths"}
#: Single GL-free modules of other layers the show may use (numbers only).
SHOW_MAY_IMPORT_MODULES = {"shaderlab.networks.weights"}
#: The panel reads the store and a status of plain values, and sends commands.
UI_MAY_IMPORT = {"ui", "show", "errors", "isf", "params", "paths"}
#: Control surfaces (OSC, OSCQuery, MIDI) send commands and hear changes: they know the show only.
CONTROL_MAY_IMPORT = {"control", "show", "errors", "isf", "params", "paths", "io"}
#: The stage is the GL of the show: it may use everything below the window, never app or ui.
STAGE_MAY_NOT_IMPORT = {"app", "ui", "cli", "commands", "model_commands"}
#: media/ decodes clips and reads cameras on its own threads: it hands frames to the show as
#: messages and never touches GL.
MEDIA_MAY_IMPORT = {"media", "show", "errors", "io", "paths"}


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """shaderlab modules ``path`` imports when it runs (not those only for type checkers)."""
    found: set[str] = set()

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.startswith("shaderlab"))
            elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("shaderlab"):
                found.add(node.module)
                found.update(f"{node.module}.{a.name}" for a in node.names)
            for field in ("body", "orelse", "finalbody", "handlers"):
                inner = getattr(node, field, None)
                if isinstance(inner, list):
                    visit(inner)

    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    return {name: {m for m in _imports(path) if m in modules and m != name} for name, path in modules.items()}


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_no_module_imports_itself_round_a_circle():
    graph = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def strongly_connected(v: str) -> None:  # Tarjan
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                strongly_connected(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for module in graph:
        if module not in index:
            strongly_connected(module)
    assert circles == []


def test_lower_layers_never_import_the_window_or_the_command_line():
    reaching_up = sorted(
        f"{module} -> {target}" for module, targets in _graph().items() for target in targets
        if _layer(module) not in TOP and _layer(target) in TOP
    )
    assert reaching_up == []


def test_the_show_knows_declarations_and_values_only():
    outside = sorted(
        f"{module} -> {target}" for module, targets in _graph().items() for target in targets
        if _layer(module) == "show" and _layer(target) not in SHOW_MAY_IMPORT
        and target not in SHOW_MAY_IMPORT_MODULES
    )
    assert outside == []


def test_the_ui_reads_the_show_only():
    outside = sorted(
        f"{module} -> {target}" for module, targets in _graph().items() for target in targets
        if _layer(module) == "ui" and _layer(target) not in UI_MAY_IMPORT
    )
    assert outside == []


def test_the_ui_holds_no_gl_object():
    """No ui module imports moderngl (or the GL layers): it draws texture ids it is given."""
    holding = []
    for path in (PACKAGE / "ui").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            holding += [f"{path.name}: {n}" for n in names if n.split(".")[0] in ("moderngl", "OpenGL")]
    assert holding == []


def test_control_surfaces_know_the_show_only():
    outside = sorted(
        f"{module} -> {target}" for module, targets in _graph().items() for target in targets
        if _layer(module) == "control" and _layer(target) not in CONTROL_MAY_IMPORT
    )
    assert outside == []


def test_the_stage_never_reaches_the_window():
    reaching_up = sorted(
        f"{module} -> {target}" for module, targets in _graph().items() for target in targets
        if _layer(module) == "stage" and _layer(target) in STAGE_MAY_NOT_IMPORT
    )
    assert reaching_up == []


def test_importing_the_show_loads_no_gl_and_no_window(tmp_path):
    import subprocess
    import sys

    probe = "import sys, shaderlab.show.store, shaderlab.show.commands, shaderlab.show.keys; " \
            "print(sorted(m for m in ('moderngl', 'glfw', 'imgui_bundle') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"


def test_media_decodes_without_gl():
    outside = sorted(
        f"{module} -> {target}" for module, targets in _graph().items() for target in targets
        if _layer(module) == "media" and _layer(target) not in MEDIA_MAY_IMPORT
    )
    assert outside == []
    for path in (PACKAGE / "media").rglob("*.py"):
        assert "moderngl" not in path.read_text(encoding="utf-8"), path.name
