/*{
    "DESCRIPTION": "An IMPORTED image, drawn over the whole frame.",
    "ISFVSN": "2",
    "INPUTS": [],
    "IMPORTED": {"stamp": {"PATH": "stamp.png"}}
}*/
void main() {
    gl_FragColor = IMG_NORM_PIXEL(stamp, isf_FragNormCoord);
}
