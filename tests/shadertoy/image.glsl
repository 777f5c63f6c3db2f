// Red: Buffer A's count; green: Buffer B's; blue: the input's blue.
void mainImage(out vec4 fragColor, in vec2 fragCoord) {
    vec2 uv = fragCoord / iResolution.xy;
    fragColor = vec4(texture(iChannel0, uv).r, texture(iChannel1, uv).r, texture(iChannel2, uv).b, 1.0);
}
