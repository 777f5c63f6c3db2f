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
        // Blue: IMG_SIZE of the buffer this pass writes is its own size, as in other hosts.
        gl_FragColor = vec4(RENDERSIZE / 255.0, IMG_SIZE(quarter) == RENDERSIZE ? 1.0 : 0.0, 1.0);
    } else if (PASSINDEX == 1) {
        gl_FragColor = vec4(RENDERSIZE / 255.0, 0.0, 1.0);
    } else {
        // Red, green: the quarter pass's RENDERSIZE; blue: the input-sized pass's width;
        // alpha: IMG_SIZE of the quarter buffer agrees, here and while it was written.
        vec4 quarterSaw = IMG_NORM_PIXEL(quarter, vec2(0.5));
        vec4 inputSaw = IMG_NORM_PIXEL(byInput, vec2(0.5));
        float agrees = IMG_SIZE(quarter) == floor(quarterSaw.rg * 255.0 + 0.5) && quarterSaw.b == 1.0 ? 1.0 : 0.5;
        gl_FragColor = vec4(quarterSaw.rg, inputSaw.r, agrees);
    }
}
