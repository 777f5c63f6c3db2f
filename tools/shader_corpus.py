"""Render every shader in a folder headless and report, per file, whether it compiled, whether
it rendered, and whether its output is a single colour; with compile and first-frame times,
cold and with the driver's shader cache warm.

    python tools/shader_corpus.py FOLDER [FOLDER ...] [--frames 3] [--size 320x240] [--json out.json]

Files are ISF effects (.fs), Shadertoy code (.glsl with mainImage) and Shadertoy manifests.
Each file renders in a fresh Renderer over a bundled photo (transitions get a second photo and
a moving progress). The whole corpus runs twice in child processes that share an empty shader
cache folder: the first run is cold, the second finds the driver's cache warm.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUFFIXES = (".fs", ".glsl", ".toml")


def shader_files(folders: list[Path]) -> list[Path]:
    """The effects in the folders and below, as the library finds them: ISF files, Shadertoy
    files with a mainImage, manifests — not the passes a manifest is made of, nor includes."""
    from shaderlab.library import effect_files

    files: list[Path] = []
    for folder in folders:
        found = effect_files(sorted(folder.rglob("*")))
        files += [p for p in found if p.suffix in SUFFIXES]
    return files


def render_one(path: Path, frames: int, size: tuple[int, int], thumb: Path | None = None, vetter=None) -> dict:
    """Compile and render one file; what happened, never an exception. With a ``vetter``
    (render/vetting.py) the file is first tried in its child process, so a file that never
    finishes a frame is a result, not a corpus run that hangs; the trial is timed apart."""
    import numpy as np
    from PIL import Image

    from shaderlab import Renderer
    from shaderlab.errors import ShaderlabError

    photo = np.asarray(Image.open(ROOT / "assets" / "chelsea.png").convert("RGB").resize(size))
    other = np.asarray(Image.open(ROOT / "assets" / "coffee.png").convert("RGB").resize(size))
    result: dict = {"file": str(path), "compiled": False, "rendered": False, "single_colour": None, "error": None}
    try:
        with Renderer(vet=False) as renderer:
            start = time.perf_counter()
            with renderer.ctx:
                effect = renderer.programs.get(str(path))
            result["compiled"] = True
            result["compile_ms"] = (time.perf_counter() - start) * 1000
            params = {}
            spec = effect.spec
            if vetter is not None:
                tried = time.perf_counter()
                refused = vetter.vet(spec, size)
                result["trial_ms"] = (time.perf_counter() - tried) * 1000
                if refused:
                    raise ShaderlabError(refused)
                start += time.perf_counter() - tried  # first_frame_ms: compile and frame, not the trial
            if spec.input("endImage") is not None:
                params["endImage"] = other
            outputs = []
            for frame in range(frames):
                if spec.input("progress") is not None:
                    params["progress"] = (frame + 1) / (frames + 1)
                outputs.append(renderer.render(photo, [(str(path), params)], time=frame / 30.0))
                if frame == 0:
                    result["first_frame_ms"] = (time.perf_counter() - start) * 1000
            result["rendered"] = True
            if thumb is not None:
                Image.fromarray(outputs[-1]).convert("RGB").resize((160, 120)).save(thumb)
            last = outputs[-1].reshape(-1, 4)
            result["single_colour"] = bool((last == last[0]).all())
    except ShaderlabError as exc:
        result["error"] = str(exc)
    except Exception as exc:  # a host bug, which the report must show rather than hide
        result["error"] = f"{type(exc).__name__}: {exc}"
    return result


def worker(files: list[Path], frames: int, size: tuple[int, int], thumbs: Path | None) -> list[dict]:
    from shaderlab.render.vetting import Vetter

    vetter = Vetter()  # one trial process for the whole run
    try:
        return [render_one(path, frames, size, thumbs / f"{i}.png" if thumbs else None, vetter) for i, path in enumerate(files)]
    finally:
        vetter.close()


def contact_sheet(files: list[Path], thumbs: Path, out: Path) -> None:
    """Every rendered file's last frame, 6 a row, its name beneath."""
    from PIL import Image, ImageDraw

    columns, cell = 6, (160, 136)
    rows = -(-len(files) // columns)
    sheet = Image.new("RGB", (columns * cell[0], rows * cell[1]), (20, 20, 24))
    draw = ImageDraw.Draw(sheet)
    for i, path in enumerate(files):
        x, y = (i % columns) * cell[0], (i // columns) * cell[1]
        if (thumbs / f"{i}.png").is_file():
            sheet.paste(Image.open(thumbs / f"{i}.png"), (x, y))
        draw.text((x + 2, y + 121), path.name[:26], fill=(220, 220, 220))
    sheet.save(out)


def run_pass(files: list[Path], args: argparse.Namespace, cache: Path) -> list[dict]:
    env = {**os.environ, "MESA_SHADER_CACHE_DIR": str(cache), "__GL_SHADER_DISK_CACHE_PATH": str(cache)}
    env.pop("MESA_SHADER_CACHE_DISABLE", None)
    command = [sys.executable, __file__, "--worker", "--frames", str(args.frames), "--size", args.size, *map(str, files)]
    if args.thumbs:
        command[3:3] = ["--thumbs", str(args.thumbs)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(cold: list[dict], warm: list[dict]) -> None:
    print(f"| {'file':<42} | compiled | rendered | one colour | compile ms cold / warm | first frame ms cold / warm |")
    print(f"|{'-' * 44}|----------|----------|------------|------------------------|----------------------------|")
    for a, b in zip(cold, warm):
        name = Path(a["file"]).name
        yes = lambda v: "yes" if v else ("—" if v is None else "no")  # noqa: E731
        times = lambda key: f"{a.get(key, 0):8.1f} / {b.get(key, 0):8.1f}" if key in a else "—"  # noqa: E731
        print(f"| {name:<42} | {yes(a['compiled']):>8} | {yes(a['rendered']):>8} | {yes(a['single_colour']):>10} | {times('compile_ms'):>22} | {times('first_frame_ms'):>26} |")
    for a in cold:
        if a["error"]:
            print(f"  {Path(a['file']).name}: {a['error']}")
    rendered = sum(r["rendered"] for r in cold)
    print(f"\nrendered {rendered} of {len(cold)} ({100 * rendered / max(1, len(cold)):.1f}%), "
          f"single colour: {sum(bool(r['single_colour']) for r in cold)}")
    for key in ("compile_ms", "first_frame_ms"):
        c = [r[key] for r in cold if key in r]
        w = [r[key] for r in warm if key in r]
        if c and w:
            print(f"{key}: median cold {statistics.median(c):.1f}, warm {statistics.median(w):.1f} "
                  f"(warm/cold {statistics.median(w) / statistics.median(c):.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--frames", type=int, default=3)
    parser.add_argument("--size", default="320x240")
    parser.add_argument("--json", type=Path, help="also write the per-file results here")
    parser.add_argument("--sheet", type=Path, help="also write a contact sheet of the last frames (PNG)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--thumbs", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))
    if args.worker:
        print(json.dumps(worker(args.paths, args.frames, size, args.thumbs)))
        return
    files = shader_files(args.paths)
    with tempfile.TemporaryDirectory(prefix="shader-cache-") as cache, tempfile.TemporaryDirectory() as thumbs:
        cold = run_pass(files, args, Path(cache))
        args.thumbs = Path(thumbs) if args.sheet else None
        warm = run_pass(files, args, Path(cache))
        if args.sheet:
            contact_sheet(files, Path(thumbs), args.sheet)
    report(cold, warm)
    if args.json:
        args.json.write_text(json.dumps({"cold": cold, "warm": warm}, indent=1))


if __name__ == "__main__":
    main()
