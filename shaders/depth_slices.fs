/*{
    "DESCRIPTION": "Cuts the picture into depth bands that shift and glitch independently, each jumping to a new offset `rate` times a second.",
    "CREDIT": "shaderlab",
    "ISFVSN": "2",
    "CATEGORIES": ["Depth", "Glitch"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "depthImage", "TYPE": "image", "LABEL": "Depth (near = 1)"},
        {"NAME": "bands", "TYPE": "float", "DEFAULT": 6.0, "MIN": 1.0, "MAX": 32.0, "LABEL": "Bands"},
        {"NAME": "shift", "TYPE": "float", "DEFAULT": 24.0, "MIN": 0.0, "MAX": 200.0, "LABEL": "Largest shift (px)"},
        {"NAME": "rate", "TYPE": "float", "DEFAULT": 4.0, "MIN": 0.0, "MAX": 30.0, "LABEL": "Jumps per second"},
        {"NAME": "seed", "TYPE": "float", "DEFAULT": 0.0, "MIN": 0.0, "MAX": 1000.0, "LABEL": "Seed"}
    ]
}*/

float hash(vec2 p) {
    return fract(sin(dot(p, vec2(127.1, 311.7))) * 43758.5453);
}

void main() {
    float depth = clamp(IMG_THIS_PIXEL(depthImage).r, 0.0, 0.9999);
    float band = floor(depth * bands);
    float tick = floor(TIME * rate);
    vec2 offset = (vec2(hash(vec2(band, tick + seed)), hash(vec2(tick - seed, band + 17.0))) - 0.5) * 2.0 * shift;
    gl_FragColor = IMG_NORM_PIXEL(inputImage, isf_FragNormCoord + offset / RENDERSIZE);
}
