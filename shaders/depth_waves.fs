/*{
    "DESCRIPTION": "Ripples that travel through depth: each pixel is displaced by a wave of its depth, moving from far to near over time.",
    "CREDIT": "shaderlab",
    "ISFVSN": "2",
    "CATEGORIES": ["Depth", "Motion"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "depthImage", "TYPE": "image", "LABEL": "Depth (near = 1)"},
        {"NAME": "amplitude", "TYPE": "float", "DEFAULT": 6.0, "MIN": 0.0, "MAX": 60.0, "LABEL": "Amplitude (px)"},
        {"NAME": "waves", "TYPE": "float", "DEFAULT": 4.0, "MIN": 0.5, "MAX": 40.0, "LABEL": "Waves through depth"},
        {"NAME": "speed", "TYPE": "float", "DEFAULT": 0.5, "MIN": -4.0, "MAX": 4.0, "LABEL": "Speed (waves/s)"},
        {"NAME": "angle", "TYPE": "float", "DEFAULT": 90.0, "MIN": 0.0, "MAX": 360.0, "LABEL": "Direction (deg)"}
    ]
}*/

void main() {
    float depth = IMG_THIS_PIXEL(depthImage).r;
    float phase = 6.2831853 * (depth * waves - TIME * speed);
    vec2 direction = vec2(cos(radians(angle)), sin(radians(angle)));
    vec2 offset = amplitude * sin(phase) * direction / RENDERSIZE;
    gl_FragColor = IMG_NORM_PIXEL(inputImage, isf_FragNormCoord + offset);
}
