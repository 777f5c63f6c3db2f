"""A private network namespace for peer protocols (Link, NDI): loopback only, never the machine's
real interfaces. Tests run a shell command inside one."""

from __future__ import annotations

import shutil
import subprocess

import pytest


def namespace_command(setup: str = "ip link set lo up") -> list[str]:
    """``unshare -n`` (as root) or ``-rn`` (a user namespace) running ``setup``, then the command
    given after it; skip when neither works here."""
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        pytest.skip("needs unshare and ip (util-linux, iproute2) for a private network namespace")
    probe = None
    for flags in (["-n"], ["-rn"]):
        probe = subprocess.run(["unshare", *flags, "sh", "-c", "ip link set lo up"], capture_output=True, timeout=10)
        if probe.returncode == 0:
            return ["unshare", *flags, "sh", "-c", f'{setup} && exec "$0" "$@"']
    pytest.skip(f"cannot make a private network namespace here: {probe.stderr.decode().strip() if probe else ''}")
