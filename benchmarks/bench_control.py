"""Control surfaces in the real window: input-to-visible latency and a flood of OSC.

    python benchmarks/bench_control.py [--samples 200] [--flood-seconds 5] [--rate 10000] [--no-midi]

The window runs in this process (hidden, 1280×720, saturate + rgb_split, wall clock).
- Latency: a thread sends a new value (OSC over UDP on 127.0.0.1; MIDI CC through a JACK
  virtual port) at random moments; the stamp at send is compared with the end of the first
  frame whose chain rendered that value. p50 / p99 / max, with the frame interval for scale.
- Flood: a thread sends ``--rate`` OSC messages a second for ``--flood-seconds`` over four
  slots; the frame intervals meanwhile against an idle stretch of the same run (median, p99,
  ratio), and how many frames after the last message the last value of every slot was applied.
Starts Xvfb when no DISPLAY is set, and a JACK dummy server for MIDI when none is named.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from display import percentile, start_display  # benchmarks/display.py (scripts run from their folder)

ROOT = Path(__file__).resolve().parents[1]
SLOTS = ["chain/saturate/amount", "chain/rgb_split/amount", "chain/saturate-2/amount", "chain/rgb_split-2/amount"]
#: The flooding sender (argv: port, rate, seconds, slots as JSON); prints the last value sent to each slot.
FLOOD = """
import json, socket, sys, time
from pythonosc.osc_message_builder import OscMessageBuilder
port, rate, seconds, slots = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), json.loads(sys.argv[4])
# Built before the clock starts, sent in bursts every 10 ms: the sender costs little CPU, as a
# controller or a program in C would, so the frames measure the show's own cost.
count = int(rate * seconds)
datagrams, last = [], {}
for i in range(count):
    slot, value = slots[i % len(slots)], round((i % 397) / 100, 2)
    builder = OscMessageBuilder("/shaderlab/" + slot)
    builder.add_arg(value)
    datagrams.append(builder.build().dgram)
    last[slot] = value
sock, burst = socket.socket(socket.AF_INET, socket.SOCK_DGRAM), max(1, rate // 100)
start = time.perf_counter()
for first in range(0, count, burst):
    for datagram in datagrams[first:first + burst]:
        sock.sendto(datagram, ("127.0.0.1", port))
    ahead = start + (first + burst) / rate - time.perf_counter()
    if ahead > 0:
        time.sleep(ahead)
print(json.dumps(last))
"""


def start_jack() -> subprocess.Popen | None:
    if os.environ.get("JACK_DEFAULT_SERVER") or shutil.which("jackd") is None:
        return None
    name = f"bench-{os.getpid()}"
    os.environ.update(JACK_DEFAULT_SERVER=name, JACK_NO_START_SERVER="1", JACK_NO_AUDIO_RESERVATION="1")
    server = subprocess.Popen(["jackd", "-n", name, "--no-realtime", "-d", "dummy", "-r", "48000", "-p", "256"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.5)
    return server


def run(args: argparse.Namespace) -> dict:
    from pythonosc.udp_client import SimpleUDPClient

    from shaderlab.app.runner import run_scripted
    from shaderlab.cli import play_options
    from shaderlab.show.commands import AddEffect

    results: dict = {}
    arguments = [str(ROOT / "assets" / "coffee.png"), "--size", "1280x720", "--osc", "0"]
    knob = None
    if args.midi:
        import mido

        backend = mido.Backend("mido.backends.rtmidi/UNIX_JACK", load=True)
        knob = backend.open_output("bench-knob", virtual=True)
        profile = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-knob-{os.getpid()}.toml"
        profile.write_text('[[mapping]]\naddress = "chain/saturate/amount"\nkind = "cc"\nchannel = 1\nnumber = 1\n'
                           "takeover = false\n")
        arguments += ["--midi-in", "bench-knob", "--midi-api", "JACK", "--midi-profile", str(profile)]

    def script(app):
        while app.stage.output is None:
            yield
        for name in ("saturate", "rgb_split", "saturate", "rgb_split"):
            app.inbox.put(AddEffect(name))
        for _ in range(20):
            yield
        osc = app.hub.surfaces[0]
        client = SimpleUDPClient("127.0.0.1", osc.port)
        address = "chain/saturate/amount"
        intervals: list[float] = []

        def frames(count: int):
            last = time.perf_counter()
            for _ in range(count):
                yield
                now = time.perf_counter()
                intervals.append((now - last) * 1000)
                last = now

        def latency(send, values: list[float]) -> list[float]:
            """Send distinct values at random moments; measure to the end of the frame that shows each."""
            sent: dict[float, float] = {}
            samples: list[float] = []
            random.Random(7).shuffle(values)

            def sender() -> None:
                for value in values:
                    time.sleep(random.uniform(0.03, 0.09))
                    sent[value] = time.perf_counter()
                    send(value)

            thread = threading.Thread(target=sender)
            thread.start()
            seen = app.store.get(address)
            after = 0  # frames since the sender finished
            while after < 30:
                yield
                now = time.perf_counter()
                value = app.store.get(address)
                if value != seen:
                    seen = value
                    key = min(sent, key=lambda v: abs(v - value)) if sent else None
                    if key is not None and abs(key - value) < 1e-3:
                        samples.append((now - sent.pop(key)) * 1000)
                if not thread.is_alive():
                    after += 1
                    if not sent:
                        break
            thread.join()
            return samples

        yield from frames(100)
        idle = list(intervals)
        results["idle"] = idle
        values = [round(0.05 + 3.9 * i / args.samples, 3) for i in range(args.samples)]
        results["osc"] = yield from latency(lambda v: client.send_message("/shaderlab/" + address, v), values)
        if knob is not None:
            import mido

            # A CC has 128 steps over 0..4: send each step once, in a random order.
            steps = [k / 127 * 4.0 for k in range(1, 127)]
            results["midi"] = yield from latency(
                lambda v: knob.send(mido.Message("control_change", channel=0, control=1, value=round(v / 4 * 127))), steps)
        # The flood, from a process of its own (as a controller or another program would be).
        intervals.clear()
        received_before = osc.status.received
        sender = subprocess.Popen([sys.executable, "-c", FLOOD, str(osc.port), str(args.rate), str(args.flood_seconds),
                                   json.dumps(SLOTS)], stdout=subprocess.PIPE, text=True)
        while sender.poll() is None:
            yield from frames(1)
        flooded = list(intervals)
        last_values = json.loads(sender.stdout.read())
        late = 0
        while any(abs(app.store.get(slot) - value) > 1e-5 for slot, value in last_values.items()):
            yield
            late += 1
            if late > 100:
                break
        results.update(flood=flooded, late=late, sent=int(args.rate * args.flood_seconds),
                       received=osc.status.received - received_before)

    if args.switch_interval:
        sys.setswitchinterval(args.switch_interval / 1000)
    try:
        run_scripted(script, *play_options(arguments), max_frames=100_000)
    finally:
        if knob is not None:
            knob.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--flood-seconds", type=float, default=5.0)
    parser.add_argument("--rate", type=int, default=10_000)
    parser.add_argument("--no-midi", dest="midi", action="store_false")
    parser.add_argument("--switch-interval", type=float, metavar="MS", help="the interpreter's GIL switch interval")
    args = parser.parse_args()
    display, jack = start_display(79), start_jack() if args.midi else None
    try:
        r = run(args)
    finally:
        for server in (display, jack):
            if server is not None:
                server.terminate()
    idle = r["idle"]
    print("# window 1280×720, coffee.png, saturate + rgb_split ×2, wall clock")
    print(f"frame interval idle: median {statistics.median(idle):.2f} ms, p99 {percentile(idle, 0.99):.2f} ms")
    print("\n| input → first frame rendered with it | samples | p50 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|")
    for name in ("osc", "midi"):
        if name in r and r[name]:
            s = r[name]
            print(f"| {name.upper()} | {len(s)} | {percentile(s, 0.5):.1f} | {percentile(s, 0.99):.1f} | {max(s):.1f} |")
    flood = r["flood"]
    print(f"\n| OSC flood {args.rate}/s for {args.flood_seconds:g} s over {len(SLOTS)} slots | frames | median ms | p99 ms |")
    print("|---|---|---|---|")
    print(f"| idle (same run) | {len(idle)} | {statistics.median(idle):.2f} | {percentile(idle, 0.99):.2f} |")
    print(f"| flood | {len(flood)} | {statistics.median(flood):.2f} | {percentile(flood, 0.99):.2f} |")
    print(f"\np99 ratio flood/idle: {percentile(flood, 0.99) / percentile(idle, 0.99):.3f}; "
          f"messages sent {r['sent']}, received {r['received']}; the last value of every slot was applied "
          f"{r['late']} frame(s) after the sender finished (0: in the frame that was running)")


if __name__ == "__main__":
    main()
