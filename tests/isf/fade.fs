/*{
    "DESCRIPTION": "A transition: startImage to endImage as progress goes from 0 to 1.",
    "ISFVSN": "2",
    "CATEGORIES": ["Dissolve"],
    "INPUTS": [
        {"NAME": "startImage", "TYPE": "image"},
        {"NAME": "endImage", "TYPE": "image"},
        {"NAME": "progress", "TYPE": "float", "DEFAULT": 0.0, "MIN": 0.0, "MAX": 1.0}
    ]
}*/
void main() {
    gl_FragColor = mix(IMG_THIS_PIXEL(startImage), IMG_THIS_PIXEL(endImage), progress);
}
