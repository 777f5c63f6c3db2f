/*{
    "DESCRIPTION": "A transition: endImage wipes across startImage from the left as progress goes from 0 to 1, with a soft edge. Cues use it by name (transition = \"wipe\").",
    "CREDIT": "shaderlab",
    "ISFVSN": "2",
    "CATEGORIES": ["Wipe"],
    "INPUTS": [
        {"NAME": "startImage", "TYPE": "image"},
        {"NAME": "endImage", "TYPE": "image"},
        {"NAME": "progress", "TYPE": "float", "DEFAULT": 0.0, "MIN": 0.0, "MAX": 1.0},
        {"NAME": "softness", "TYPE": "float", "DEFAULT": 0.1, "MIN": 0.0, "MAX": 0.5, "LABEL": "Edge softness"}
    ]
}*/

void main() {
    float x = isf_FragNormCoord.x;
    // The edge runs from -softness to 1 + softness: progress 0 and 1 are the two pictures exactly.
    float edge = mix(-softness, 1.0 + softness, progress);
    float amount = softness > 0.0 ? clamp((edge - x) / (2.0 * softness) + 0.5, 0.0, 1.0) : step(x, edge);
    gl_FragColor = mix(IMG_THIS_NORM_PIXEL(startImage), IMG_THIS_NORM_PIXEL(endImage), amount);
}
