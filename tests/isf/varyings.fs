/*{
    "DESCRIPTION": "A companion vertex shader (varyings.vs) computes a varying; the fragment shader shows it.",
    "ISFVSN": "2",
    "INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]
}*/
varying vec2 mirrored;
void main() {
    gl_FragColor = IMG_NORM_PIXEL(inputImage, mirrored);
}
