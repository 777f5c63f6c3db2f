"""The stage: all the GL of the live show (stage.py's Stage), on the GL thread only.

It renders what the show's store resolves each frame and tells the rest of the app what it
holds as plain values; the panel never gets a GL object from it.
"""
