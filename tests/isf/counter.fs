/*{
    "DESCRIPTION": "A PERSISTENT FLOAT buffer counting frames in steps too small for 8 bits, and an 8-bit persistent buffer counting whole levels.",
    "ISFVSN": "2",
    "INPUTS": [],
    "PASSES": [
        {"TARGET": "fine", "PERSISTENT": true, "FLOAT": true},
        {"TARGET": "coarse", "PERSISTENT": true},
        {}
    ]
}*/
void main() {
    if (PASSINDEX == 0) {
        gl_FragColor = IMG_THIS_PIXEL(fine) + vec4(0.001, 0.0, 0.0, 0.0);
    } else if (PASSINDEX == 1) {
        gl_FragColor = IMG_THIS_PIXEL(coarse) + vec4(1.0 / 255.0, 0.0, 0.0, 0.0);
    } else {
        // Red: 1000 × the fine count in levels (frames); green: the coarse count in levels.
        gl_FragColor = vec4(IMG_THIS_PIXEL(fine).r * 1000.0 / 255.0, IMG_THIS_PIXEL(coarse).r, 0.0, 1.0);
    }
}
