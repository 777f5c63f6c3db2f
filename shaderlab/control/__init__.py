"""Control surfaces: OSC, OSCQuery and MIDI. Each runs on threads of its own, sends commands
into the app's inbox and hears what changed through the hub (control/hub.py); none knows GL."""
