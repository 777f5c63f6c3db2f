// Shadertoy's inputs, each written into a quarter of the frame for the tests to read back.
void mainImage(out vec4 fragColor, in vec2 fragCoord) {
    vec2 uv = fragCoord / iResolution.xy;
    if (uv.x < 0.25) {
        fragColor = texture(iChannel0, uv);  // the chain's input
    } else if (uv.x < 0.5) {
        fragColor = vec4(iTime / 10.0, iTimeDelta * 10.0, float(iFrame) / 10.0, 1.0);
    } else if (uv.x < 0.75) {
        fragColor = vec4(iMouse.xy / iResolution.xy, iMouse.z < 0.0 ? 0.0 : 1.0, 1.0);
    } else {
        fragColor = vec4(iChannelResolution[0].xy / 1000.0, iDate.x > 2000.0 ? 1.0 : 0.0, 1.0);
    }
}
