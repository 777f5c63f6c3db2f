// Shared by every pass of counter.shadertoy.toml.
const float STEP = 1.0 / 255.0;
vec4 stepUp(vec4 v) { return v + vec4(STEP, 0.0, 0.0, 0.0); }
