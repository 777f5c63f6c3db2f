/*{
    "DESCRIPTION": "SHADERLAB_WHEN: passes shaderlab runs only for some values of `mode`; the output says which passes ran.",
    "ISFVSN": "2",
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "mode", "TYPE": "long", "VALUES": [0, 1, 2], "LABELS": ["first", "second", "neither"], "DEFAULT": 0}
    ],
    "PASSES": [
        {"TARGET": "marked", "SHADERLAB_WHEN": "$mode == 0"},
        {"SHADERLAB_WHEN": "$mode == 0"},
        {"SHADERLAB_WHEN": "$mode == 1"}
    ]
}*/
void main() {
    if (PASSINDEX == 0) {
        gl_FragColor = vec4(0.25, 0.0, 0.0, 1.0);  // a buffer cleared to 0 until this pass runs
    } else if (PASSINDEX == 1) {
        gl_FragColor = vec4(IMG_NORM_PIXEL(marked, vec2(0.5)).r, 0.5, 0.0, 1.0);
    } else {
        gl_FragColor = vec4(IMG_NORM_PIXEL(marked, vec2(0.5)).r, 0.0, 0.75, 1.0);
    }
}
