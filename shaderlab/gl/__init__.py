"""GL plumbing: contexts, textures and framebuffers. Only the GL thread calls into here."""
