// Counts frames: each frame reads its own last frame and adds one level.
void mainImage(out vec4 fragColor, in vec2 fragCoord) {
    fragColor = stepUp(texture(iChannel0, fragCoord / iResolution.xy));
}
