"""The show as data — slots, the chain, commands, keys, scenes — free of GL and imgui.

Usage::

    store = Store(spec_of=library.spec, settings=app_settings(sort_spec))
    blur = store.add_effect("blur")                  # "blur": its slot id
    store.set(f"chain/{blur}/radius", 40, clamp=True)  # a knob: pulled into range
    values = store.resolve(frame_time)               # what the chain renders this frame
    store.end_frame()                                # subscribers hear what moved
"""

from shaderlab.show.chain import Chain, ChainSlot
from shaderlab.show.scenes import load_store, save_store, scene_to_store, store_to_scene
from shaderlab.show.settings import app_settings
from shaderlab.show.slots import ShowError, Slot, chain_address
from shaderlab.show.store import Changes, Modulator, Snapshot, Store

__all__ = [
    "Chain", "ChainSlot", "Changes", "Modulator", "ShowError", "Slot", "Snapshot", "Store", "app_settings",
    "chain_address", "load_store", "save_store", "scene_to_store", "store_to_scene",
]
