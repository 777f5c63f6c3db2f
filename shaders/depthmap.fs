/*{
    "DESCRIPTION": "Shows the depth map itself in black and white (near = white), with contrast.",
    "CREDIT": "shaderlab",
    "ISFVSN": "2",
    "CATEGORIES": ["Depth"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "depthImage", "TYPE": "image", "LABEL": "Depth (near = 1)"},
        {"NAME": "gamma", "TYPE": "float", "DEFAULT": 1.0, "MIN": 0.2, "MAX": 5.0, "LABEL": "Gamma"},
        {"NAME": "invert", "TYPE": "bool", "DEFAULT": false, "LABEL": "Near = black"}
    ]
}*/

void main() {
    float depth = clamp(IMG_THIS_PIXEL(depthImage).r, 0.0, 1.0);
    float shade = pow(invert ? 1.0 - depth : depth, gamma);
    gl_FragColor = vec4(vec3(shade), IMG_THIS_PIXEL(inputImage).a);
}
