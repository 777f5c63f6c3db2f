"""The imgui control panel."""
