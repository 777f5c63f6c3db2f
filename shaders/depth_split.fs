/*{
    "DESCRIPTION": "RGB split whose amount follows depth: near pixels split the most (or far ones, with `far`).",
    "CREDIT": "shaderlab",
    "ISFVSN": "2",
    "CATEGORIES": ["Depth", "Glitch"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "depthImage", "TYPE": "image", "LABEL": "Depth (near = 1)"},
        {"NAME": "amount", "TYPE": "float", "DEFAULT": 16.0, "MIN": 0.0, "MAX": 200.0, "LABEL": "Shift at full depth (px)"},
        {"NAME": "angle", "TYPE": "float", "DEFAULT": 0.0, "MIN": 0.0, "MAX": 360.0, "LABEL": "Angle (deg)"},
        {"NAME": "far", "TYPE": "bool", "DEFAULT": false, "LABEL": "Far splits most"}
    ]
}*/

void main() {
    float depth = clamp(IMG_THIS_PIXEL(depthImage).r, 0.0, 1.0);
    float weight = far ? 1.0 - depth : depth;
    vec2 shift = amount * weight * vec2(cos(radians(angle)), sin(radians(angle))) / RENDERSIZE;
    vec2 uv = isf_FragNormCoord;
    vec4 centre = IMG_NORM_PIXEL(inputImage, uv);
    gl_FragColor = vec4(IMG_NORM_PIXEL(inputImage, uv - shift).r, centre.g, IMG_NORM_PIXEL(inputImage, uv + shift).b, centre.a);
}
