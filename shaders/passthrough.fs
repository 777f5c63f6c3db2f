/*{
    "DESCRIPTION": "Passes the image through unchanged.",
    "CREDIT": "shaderlab",
    "ISFVSN": "2",
    "INPUT_AT_RENDERSIZE": true,
    "CATEGORIES": ["Utility"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"}
    ]
}*/

void main() {
#ifdef SHADERLAB
    gl_FragColor = texelFetch(inputImage, ivec2(gl_FragCoord.xy), 0);  // the input is at the render size here
#else
    gl_FragColor = IMG_THIS_PIXEL(inputImage);
#endif
}
