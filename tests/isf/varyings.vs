varying vec2 mirrored;
void main() {
    isf_vertShaderInit();
    // clamp() per vertex, as real .vs files do: only right if the corners are at 0 and 1.
    mirrored = clamp(vec2(1.0 - isf_FragNormCoord.x, isf_FragNormCoord.y), 0.0, 1.0);
}
