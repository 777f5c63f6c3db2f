/*{
    "DESCRIPTION": "Passes the image through unchanged.",
    "CREDIT": "shaderlab",
    "ISFVSN": "2",
    "CATEGORIES": ["Utility"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"}
    ]
}*/

void main() {
    gl_FragColor = IMG_THIS_PIXEL(inputImage);
}
