/*{
    "DESCRIPTION": "PASSES with WIDTH/HEIGHT expressions: a quarter-size pass and one sized by an input; the output encodes the sizes each pass saw.",
    "ISFVSN": "2",
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "divide", "TYPE": "float", "DEFAULT": 3.0, "MIN": 1.0, "MAX": 16.0}
    ],
    "PASSES": [
        {"TARGET": "quarter", "WIDTH": "$WIDTH / 4", "HEIGHT": "$HEIGHT / 4"},
        {"TARGET": "byInput", "WIDTH": "max(floor($WIDTH / $divide), 1)", "HEIGHT": 10, "FLOAT": true},
        {}
    ]
}*/
void main() {
    if (PASSINDEX == 0) {
        gl_FragColor = vec4(RENDERSIZE / 255.0, 0.0, 1.0);
    } else if (PASSINDEX == 1) {
        gl_FragColor = vec4(RENDERSIZE / 255.0, 0.0, 1.0);
    } else {
        // Red, green: the quarter pass's RENDERSIZE; blue: the input-sized pass's width;
        // alpha: IMG_SIZE of the quarter buffer agrees.
        vec4 quarterSaw = IMG_NORM_PIXEL(quarter, vec2(0.5));
        vec4 inputSaw = IMG_NORM_PIXEL(byInput, vec2(0.5));
        float agrees = IMG_SIZE(quarter) == floor(quarterSaw.rg * 255.0 + 0.5) ? 1.0 : 0.5;
        gl_FragColor = vec4(quarterSaw.rg, inputSaw.r, agrees);
    }
}
