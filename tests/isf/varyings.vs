varying vec2 mirrored;
void main() {
    isf_vertShaderInit();
    mirrored = vec2(1.0 - isf_FragNormCoord.x, isf_FragNormCoord.y);
}
