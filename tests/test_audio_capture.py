"""Live audio through real devices: a JACK server with its dummy driver (in user space, as in CI)
and PortAudio's JACK host API. This process plays a signal it makes — clicks at 120 BPM over a
tone — on a JACK output, its ports are wired to a JACK input with jack_connect, and
DeviceAudio hears it there and posts the same analysis the files get."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import numpy as np
import pytest

from conftest import run_cli
from shaderlab.errors import ShaderlabError
from shaderlab.show.commands import Say
from shaderlab.show.messages import AudioHeard

RATE = 48000  # the fixture's JACK server runs at 48 kHz, periods of 256 frames
PERIOD = 256


@pytest.fixture(scope="module")
def sd(jack_server):
    """sounddevice with PortAudio started again, now that the JACK server runs (PortAudio lists
    devices once, when it starts); afterwards started again without it, so later tests in this
    process never meet a JACK client whose server is gone."""
    try:
        import sounddevice
    except (ImportError, OSError) as exc:
        pytest.skip(f"sound device tests need sounddevice and the PortAudio library ({exc})")
    from shaderlab.audio.devices import JACK_API, portaudio, rescan

    rescan()
    with portaudio():  # PortAudio runs through the module's tests, listing this JACK server
        if JACK_API not in [api["name"] for api in sounddevice.query_hostapis()]:
            pytest.skip("this PortAudio library was built without JACK")
        yield sounddevice
    os.environ["JACK_DEFAULT_SERVER"] = f"{jack_server}-gone"
    rescan()


def jack(*args: str) -> str:
    done = subprocess.run(args, capture_output=True, text=True, timeout=10)
    assert done.returncode == 0, (args, done.stderr)
    return done.stdout


def ports() -> set[str]:
    return set(jack("jack_lsp").split())


def new_ports(before: set[str], kind: str, count: int = 2, seconds: float = 10.0) -> list[str]:
    """The ``count`` ports (``in`` or ``out``) this process's PortAudio client made since
    ``before``: PortAudio numbers them on through the client's life (out_0, out_1, then out_2
    for the next stream), so names are found, not assumed."""
    deadline = time.monotonic() + seconds
    while True:
        made = sorted((p for p in ports() - before if p.startswith(f"PortAudio:{kind}_")),
                      key=lambda p: int(p.rsplit("_", 1)[1]))
        if len(made) >= count:
            return made[:count]
        assert time.monotonic() < deadline, f"no new PortAudio {kind} ports after {seconds} s: {sorted(ports())}"
        time.sleep(0.05)


def play(stream, signal: np.ndarray, seconds: float) -> list[float]:
    """Write ``signal`` (frames × 2) as the stream takes it, never waiting inside PortAudio;
    returns when (time.monotonic) each frame's block was written, a value per frame."""
    written_at = np.zeros(len(signal))
    position, deadline = 0, time.monotonic() + seconds
    while position < len(signal):
        assert time.monotonic() < deadline, f"JACK took {position} of {len(signal)} frames in {seconds} s"
        room = min(stream.write_available, len(signal) - position)
        if room:
            stream.write(signal[position:position + room])
            written_at[position:position + room] = time.monotonic()
            position += room
        time.sleep(0.002)
    return written_at


def clicks_over_tone(clicks: list[float], seconds: float, tone: float = 440.0) -> np.ndarray:
    rng = np.random.default_rng(3)
    t = np.arange(int(seconds * RATE)) / RATE
    fade = np.clip(np.minimum(t, t[-1] - t) / 0.2, 0, 1)  # in and out gently: no onsets there
    signal = 0.2 * np.sin(2 * np.pi * tone * t) * fade
    for at in clicks:
        start = int(at * RATE)
        signal[start:start + 400] += rng.normal(0, 0.7, 400) * np.exp(-np.arange(400) / 80)
    return np.repeat(signal[:, None], 2, axis=1).astype(np.float32)


def onset_times(features: list) -> list[float]:
    found: list[float] = []
    for f in features:  # one click may light two bands a hop apart: one onset
        if any(f.onsets.values()) and (not found or f.time - found[-1] > 0.05):
            found.append(f.time)
    return found


def test_jack_input_heard_on_a_worker_thread_gives_onsets_at_the_clicks_and_the_tone(sd):
    from shaderlab.audio.capture import DeviceAudio
    from shaderlab.audio.devices import JACK_API, input_devices

    system = next(d for d in input_devices() if d.name == "system")
    assert system.host_api == JACK_API and not system.monitor and system.inputs == 2
    posted: list = []
    posted_at: list[float] = []

    def post(item) -> None:  # what the window's inbox.put gets, from the audio thread
        posted.append(item)
        posted_at.append(time.monotonic())

    before = ports()
    out = sd.OutputStream(device=system.index, samplerate=RATE, channels=2, dtype="float32")
    out.start()
    audio = DeviceAudio("SYSTEM", post).start()  # by name, any case
    try:
        for source, sink in zip(new_ports(before, "out"), new_ports(before, "in")):
            jack("jack_connect", source, sink)
        clicks = [1.5, 2.0, 2.5, 3.0, 3.5]  # 120 BPM, after a second of the tone alone
        signal = clicks_over_tone(clicks, 4.2)
        written_at = play(out, signal, seconds=20)
        deadline = time.monotonic() + 10
        while len(onset_times([p.features for p in posted if isinstance(p, AudioHeard)])) < len(clicks) + 1:
            assert time.monotonic() < deadline, f"heard {onset_times([p.features for p in posted if isinstance(p, AudioHeard)])}"
            time.sleep(0.02)
        time.sleep(0.5)  # the fade out, heard
        assert audio.playing and "system" in audio.describe()
    finally:
        audio.close()
        out.close()
    assert not audio._thread.is_alive()  # close() returns: the thread never waits inside PortAudio
    heard = [p for p in posted if isinstance(p, AudioHeard)]
    assert not [p.text for p in posted if isinstance(p, Say) and p.error]  # no device trouble (a lost block on a busy machine is only a warning)
    hop = audio.analyzer.hop
    times = [h.features.time for h in heard]
    assert np.allclose(np.diff(times), hop / RATE)  # every hop, none lost, in order
    found = onset_times([h.features for h in heard])
    assert len(found) == len(clicks) + 1, found  # the tone coming in, the clicks, nothing else
    beats = found[1:]
    assert 0 < beats[0] - found[0] - clicks[0] + 0.2 < 0.2 + hop / RATE  # the tone came in as it faded in
    # The clicks' spacing, within one hop and one JACK period.
    assert np.all(np.abs(np.diff(beats) - 0.5) <= (hop + PERIOD) / RATE), found
    # The tone: the linear spectrum's peak at 440 Hz (bins of RATE/2048 Hz, from the first),
    # and the tone's band (low_mid) lit between the clicks.
    between = [h.features for h in heard if beats[0] + 0.2 < h.features.time < beats[0] + 0.4]
    assert between
    for f in between:
        assert abs(int(np.argmax(f.fft[0])) + 1 - 440 / (RATE / 2048)) <= 1.5
        assert f.levels["low_mid"] > 0.5 and f.levels["low_mid"] > 2 * f.levels["high"]
    # From the moment the first click was handed to JACK to its onset posted: the capture's
    # latency (a JACK period each way, the blocking FIFOs, a hop).
    first = next(i for i, h in enumerate(heard) if h.features.time >= beats[0])
    latency = posted_at[posted.index(heard[first])] - written_at[int(clicks[0] * RATE)]
    print(f"capture latency (written to JACK -> onset posted): {latency * 1000:.1f} ms")
    assert -0.05 < latency < 0.5


def test_audio_devices_lists_jack_with_other_programs_first_as_monitors(sd):
    """While this process plays on JACK, its client is another program for the command line:
    a monitor source, listed first and flagged; the sound card's side ("system") after it."""
    before = ports()
    out = sd.OutputStream(device="system", samplerate=RATE, channels=2, dtype="float32")
    out.start()
    try:
        new_ports(before, "out")
        done = run_cli("audio-devices", timeout=60)
    finally:
        out.close()
    assert done.returncode == 0, done.stderr
    lines = [line.strip() for line in done.stdout.splitlines() if "JACK Audio Connection Kit" in line]
    inputs = [line for line in lines if " in · " in line]
    assert len(inputs) == 2, done.stdout
    assert "PortAudio (monitor)" in inputs[0] and "system ·" in inputs[1] and "(monitor)" not in inputs[1], done.stdout
    assert any(" out · " in line and "system" in line for line in lines), done.stdout


def test_choosing_a_device_by_index_or_name_and_the_one_line_refusals(sd):
    from shaderlab.audio.devices import Device, choose, choose_input

    system = choose_input("syst")
    assert choose_input(str(system.index)) == system and choose_input(system.index) == system
    with pytest.raises(ShaderlabError) as missing:
        choose_input("no such card")
    assert "no sound input 'no such card'" in str(missing.value) and "system" in str(missing.value)
    assert "shaderlab audio-devices" in str(missing.value) and "\n" not in str(missing.value)
    with pytest.raises(ShaderlabError, match="no sound input '99'"):
        choose_input(99)
    twins = [Device(3, "USB Audio Line In", "ALSA", 2, 0, 48000.0, False),
             Device(7, "USB Audio Mic", "ALSA", 1, 0, 48000.0, False)]
    with pytest.raises(ShaderlabError) as ambiguous:
        choose("usb audio", twins)
    assert "2 sound inputs match 'usb audio'" in str(ambiguous.value) and "3: USB Audio Line In" in str(ambiguous.value)
    assert choose("mic", twins).index == 7


def test_a_sound_file_heard_through_jack_is_what_the_analysis_hears(sd, tmp_path):
    """play --audio FILE --audio-out system: the file goes out on JACK (captured back here), and
    its analysis keeps pace with what has been played."""
    import wave

    from shaderlab.audio.capture import DeviceAudio
    from shaderlab.audio.live import FileAudio

    tone = (0.5 * np.sin(2 * np.pi * 1000.0 * np.arange(RATE * 2) / RATE) * 32767).astype("<i2")
    with wave.open(str(tmp_path / "tone.wav"), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(tone.tobytes())
    captured: list = []
    before = ports()
    capture = DeviceAudio("system", captured.append).start()
    sinks = new_ports(before, "in")
    played: list = []
    started = time.monotonic()
    player = FileAudio(tmp_path / "tone.wav", played.append, loop=False, output="system").start()
    try:
        for source, sink in zip(new_ports(before, "out"), sinks):
            jack("jack_connect", source, sink)
        deadline = time.monotonic() + 10
        while player._thread.is_alive():
            assert time.monotonic() < deadline, "the file did not finish playing"
            time.sleep(0.02)
        elapsed = time.monotonic() - started
        assert player.heard_on is None and not player.playing
    finally:
        player.close()
        capture.close()
    assert not [p.text for p in played if isinstance(p, Say) and p.error]
    heard = [p.features for p in played if isinstance(p, AudioHeard)]
    assert len(heard) == len(tone) // player.analyzer.hop  # all of it, once
    assert 1.9 < elapsed < 4.0  # at the pace it plays, not as fast as it can be read
    loud = [p.features for p in captured if isinstance(p, AudioHeard) and p.features.level > 0.5]
    assert loud, "the capture never heard the file"
    assert abs(int(np.argmax(loud[len(loud) // 2].fft[0])) + 1 - 1000 / (RATE / 2048)) <= 1.5


def test_an_output_that_cannot_open_says_so_and_the_file_plays_silently(sd, tmp_path):
    import wave

    from shaderlab.audio.live import FileAudio

    with wave.open(str(tmp_path / "quiet.wav"), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(np.zeros(RATE // 2, "<i2").tobytes())
    posted: list = []
    player = FileAudio(tmp_path / "quiet.wav", posted.append, loop=False, output="no such speaker").start()
    deadline = time.monotonic() + 10
    while player._thread.is_alive():
        assert time.monotonic() < deadline
        time.sleep(0.02)
    says = [p for p in posted if isinstance(p, Say)]
    assert len(says) == 1 and says[0].warning and "no sound output 'no such speaker'" in says[0].text, says
    assert "playing silently" in says[0].text
    assert sum(isinstance(p, AudioHeard) for p in posted) == (RATE // 2) // player.analyzer.hop


def test_without_the_extra_audio_devices_says_what_to_install():
    code = ("import sys; sys.modules['sounddevice'] = None  # as when the extra is not installed\n"
            "from shaderlab.cli import main; sys.exit(main(['audio-devices']))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "pip install 'shaderlab[audio]'" in lines[0] and "libportaudio2" in lines[0], done.stderr


def test_a_short_file_loops_on_silently_at_the_pace_it_plays(tmp_path):
    """A file whose length is not a whole number of hops loops on (it used to stop after the
    first time through), at the pace of the clock, with no seam in the analysis's time."""
    import wave

    from shaderlab.audio.live import FileAudio

    frames = int(0.3 * RATE) + 77
    with wave.open(str(tmp_path / "short.wav"), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes((np.random.default_rng(0).normal(0, 0.1, frames) * 32767).astype("<i2").tobytes())
    posted: list = []
    player = FileAudio(tmp_path / "short.wav", posted.append).start()  # output None: silently
    time.sleep(1.0)
    player.close()
    played = time.monotonic() - player.started  # however long the sleep really was
    assert not player._thread.is_alive()
    times = [p.features.time for p in posted if isinstance(p, AudioHeard)]
    assert played - 0.2 < times[-1] <= played and len(times) > 2 * frames // player.analyzer.hop
    assert np.allclose(np.diff(times), player.analyzer.hop / RATE)


LISTEN_UNTIL_THE_SERVER_GOES = """
import sys, time
from shaderlab.audio.capture import DeviceAudio
from shaderlab.show.commands import Say
from shaderlab.show.messages import AudioHeard

posted = []
audio = DeviceAudio("system", posted.append).start()
deadline = time.monotonic() + 10
while not audio.playing:
    assert time.monotonic() < deadline, posted
    time.sleep(0.02)
print("listening", flush=True)
sys.stdin.readline()  # the server has been killed
deadline = time.monotonic() + 10
while not any(isinstance(p, Say) for p in posted):
    assert time.monotonic() < deadline, "nothing said about the device going away"
    time.sleep(0.02)
count = len(posted)
time.sleep(0.5)
silence = [p.features.level for p in posted[count:] if isinstance(p, AudioHeard)]
started = time.monotonic()
audio.close()
print("closed in", round(time.monotonic() - started, 2), "silent hops", len(silence), "loudest", max(silence))
print("said:", *[p.text for p in posted if isinstance(p, Say)], sep="\\n")
"""


def test_a_jack_server_going_away_mid_show_is_one_line_then_silence_and_the_process_still_quits(tmp_path):
    """The device goes away under the show (here its JACK server is killed): one line, the
    analysis hears silence at the pace of the clock, close() returns, and the process quits
    (PortAudio would wait minutes for the dead server to stop the stream)."""
    if shutil.which("jackd") is None:
        pytest.skip("needs a JACK server (apt-get install jackd2)")
    try:
        import sounddevice  # noqa: F401
    except (ImportError, OSError) as exc:
        pytest.skip(f"needs sounddevice and the PortAudio library ({exc})")
    name = f"shaderlab-gone-{os.getpid()}-{time.monotonic_ns() % 100000}"
    env = {**os.environ, "JACK_DEFAULT_SERVER": name, "JACK_NO_START_SERVER": "1", "JACK_NO_AUDIO_RESERVATION": "1"}
    server = subprocess.Popen(["jackd", "-n", name, "--no-realtime", "-d", "dummy", "-r", str(RATE), "-p", str(PERIOD)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    listener = None
    try:
        deadline = time.monotonic() + 15
        while subprocess.run(["jack_lsp"], capture_output=True, env=env, timeout=10).returncode != 0:
            assert time.monotonic() < deadline and server.poll() is None, "the JACK server did not start"
            time.sleep(0.1)
        listener = subprocess.Popen([sys.executable, "-c", LISTEN_UNTIL_THE_SERVER_GOES], stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                                    cwd=tmp_path)
        first = listener.stdout.readline()  # bounded: the script asserts a 10 s deadline itself
        assert first.strip() == "listening", first + listener.stderr.read()
        server.terminate()
        server.wait(timeout=10)
        out, err = listener.communicate("gone\n", timeout=40)
    finally:
        if listener is not None and listener.poll() is None:
            listener.kill()
            listener.communicate(timeout=10)
        if server.poll() is None:
            server.kill()
            server.wait(timeout=10)
    assert listener.returncode == 0, err[-2000:]
    closed, said = out.split("said:")
    seconds, hops, loudest = float(closed.split()[2]), int(closed.split()[5]), float(closed.split()[7])
    assert seconds < 2.5 and hops > 20 and loudest == 0.0, out
    lines = said.strip().splitlines()
    assert lines == ["audio in: system: nothing heard for 1 s (unplugged?); silence until it comes back"], out


def test_the_panel_picks_a_sound_input_while_the_show_plays(sd, display, monkeypatch):
    """The panel's Sound in picker: the inputs are listed on a worker, the one chosen is opened
    on a worker and heard from then on; choosing none closes it — frames go on throughout."""
    from in_process import photo, run_app, wait_for
    from shaderlab.show import commands as c

    monkeypatch.setenv("DISPLAY", display)
    seen: dict = {}

    def script(app):
        app.inbox.put(c.ListAudioInputs())

        def listed() -> bool:
            time.sleep(0.005)  # the worker's time is real time; frames here are quick
            return app.sound.listed
        yield from wait_for(app, listed, frames=600)
        seen["inputs"] = app.sound.inputs
        system = next(index for index, name in app.sound.inputs if name == "system")
        app.inbox.put(c.AudioInput(system))

        def hearing() -> bool:
            time.sleep(0.005)
            return app.sound.playing == f"{system}: system" and app.sound.source.playing
        yield from wait_for(app, hearing, frames=1000)
        seen["source"] = app.sound.source
        app.inbox.put(c.AudioInput(None))
        yield from wait_for(app, lambda: app.sound.source is None, frames=20)

    run_app(script, str(photo()), "--size", "160x120", max_frames=2000)
    assert any(name == "system" for _, name in seen["inputs"])
    seen["source"]._thread.join(timeout=5)  # closed on a worker
    assert not seen["source"]._thread.is_alive()
