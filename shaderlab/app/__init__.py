"""The window: main loop wiring, GL-free session state, worker threads and their messages."""
