"""Starting the control surfaces the command line asks for, and what each says of itself."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Callable

from shaderlab.control.hub import ControlHub
from shaderlab.errors import ShaderlabError
from shaderlab.show import commands as c
from shaderlab.show.store import Store


def start_surfaces(store: Store, post: Callable[[c.Command], None], options: argparse.Namespace,
                   report: Callable[..., None]) -> ControlHub:
    """A hub with every surface asked for; one that cannot start is one line, the show goes on."""
    hub = ControlHub(store)
    osc = None
    if getattr(options, "osc", None) is not None:
        from shaderlab.control.osc import OscServer

        try:
            osc = hub.add(OscServer(post, options.osc_host, options.osc, options.osc_target).start())
            report(f"OSC: listening on {osc.status.listening}" + _exposed(options.osc_host))
        except ShaderlabError as exc:
            report(str(exc), error=True)
    if getattr(options, "oscquery", None) is not None:
        from shaderlab.control.oscquery import OscQueryServer

        try:
            query = hub.add(OscQueryServer(post, options.osc_host, options.oscquery, osc_port=osc.port if osc else None,
                                           advertise=options.oscquery_advertise).start())
            report(f"OSCQuery: serving http://{query.status.listening}/" + _exposed(options.osc_host))
        except ShaderlabError as exc:
            report(str(exc), error=True)
    if getattr(options, "midi_in", None) or getattr(options, "midi_out", None):
        start_midi(hub, post, options.midi_in, options.midi_out, report, options.midi_profile, options.midi_api)
    if getattr(options, "link", False):
        start_link(hub, store, post, report)
    return hub


def start_link(hub: ControlHub, store: Store, post: Callable[[c.Command], None], report: Callable[..., None]) -> None:
    """Join the Ableton Link session and take the tempo from it."""
    from shaderlab.control.link import LinkSurface
    from shaderlab.show.settings import BEATS_PER_BAR, BPM, LINK, TEMPO_SOURCE

    try:
        hub.add(LinkSurface(post, store.get(BPM), store.get(BEATS_PER_BAR)).start())
    except ShaderlabError as exc:
        report(str(exc), error=True)
        return
    store.set(TEMPO_SOURCE, LINK)
    report("Ableton Link: joined the session on the local network; the tempo follows it")


def start_midi(hub: ControlHub, post: Callable[[c.Command], None], input_name: str | None, output_name: str | None,
               report: Callable[..., None], profile: Path | None = None, api: str | None = None) -> None:
    """Play from MIDI ports (or, with no names, only list them for the panel's picker)."""
    from shaderlab.control.midi import MidiSurface, default_profile

    rtmidi_api = {"ALSA": "LINUX_ALSA", "JACK": "UNIX_JACK"}.get(api or "")
    profile = profile or default_profile(input_name or output_name or "controller")
    try:
        hub.midi = hub.add(MidiSurface(post, input_name, output_name, profile, rtmidi_api).start())
    except ShaderlabError as exc:
        report(str(exc), error=True)
        return
    wanted = " and ".join(f"{kind} {name!r}" for kind, name in (("input", input_name), ("output", output_name)) if name)
    report(f"MIDI: opening {wanted or 'no port yet (choose one in the panel)'}; mappings in {profile}")


def _exposed(host: str) -> str:
    return "" if host in ("127.0.0.1", "localhost", "::1") else " — open to the network: anyone who can reach it can play the show"
