#!/bin/sh
# Issue 17's GPU figures in one run on the device machine (no network there): every effect and
# the chains at 1080p and 4K as fragment and as compute shaders, and the pixel sort.
#
# Here, once (the device's python3 is 3.12 and has numpy, Pillow and tqdm):
#   pip download --only-binary=:all: --python-version 3.12 --platform manylinux2014_x86_64 \
#       -d .wheels moderngl glcontext tomli-w
#   and the .gl folder of GL loaders as the device README says (its "Once, here" line).
# Then: run(command="sh benchmarks/gpu_check.sh", carry=[".gl", ".wheels"], timeout_s=540)
# and read bench_fragment.json, bench_compute.json and pixelsort.txt from $OUT.
set -e
for f in .gl/*.deb; do dpkg -x "$f" /; done
ldconfig
export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
python3 -m pip install -q --no-index --find-links .wheels moderngl glcontext tomli-w
export PYTHONPATH="$PWD"
OUT="${OUT:-/tmp/gpu_check}"
mkdir -p "$OUT"
nvidia-smi --query-gpu=name,driver_version --format=csv > "$OUT/gpu.txt" || true
python3 -m shaderlab bench --sizes 1080p,4k --runs 3 --frames 5 --json > "$OUT/bench_fragment.json"
python3 -m shaderlab bench --sizes 1080p,4k --runs 3 --frames 5 --json --compute > "$OUT/bench_compute.json"
python3 benchmarks/bench_pixelsort.py --runs 7 > "$OUT/pixelsort.txt" 2>&1
python3 -m shaderlab bench --sizes 1080p,4k --runs 3 --frames 5 --compute | tail -20
