// iMouse as colours: red/green = the pointer (x, y) over 512; blue = pressed; alpha stays 1.
void mainImage(out vec4 fragColor, in vec2 fragCoord) {
    fragColor = vec4(iMouse.xy / 512.0, iMouse.z > 0.0 ? 1.0 : 0.0, 1.0);
}
