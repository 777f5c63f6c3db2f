"""Running effect chains on the GL thread: compiled effects, the chain, the clock, the Renderer."""
