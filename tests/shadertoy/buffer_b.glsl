// Reads Buffer A as it is this frame (A runs first), doubled.
void mainImage(out vec4 fragColor, in vec2 fragCoord) {
    fragColor = 2.0 * texture(iChannel0, fragCoord / iResolution.xy);
}
