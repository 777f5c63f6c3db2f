/*{
    "DESCRIPTION": "Every IMG_ spelling, each in a fifth of the frame; all must show the input unchanged.",
    "ISFVSN": "2",
    "INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]
}*/
void main() {
    float x = isf_FragNormCoord.x;
    if (x < 0.2) gl_FragColor = IMG_THIS_PIXEL(inputImage);
    else if (x < 0.4) gl_FragColor = IMG_THIS_NORM_PIXEL(inputImage);
    else if (x < 0.6) gl_FragColor = IMG_NORM_THIS_PIXEL(inputImage);
    else if (x < 0.8) gl_FragColor = IMG_NORM_PIXEL(inputImage, isf_FragNormCoord);
    else gl_FragColor = IMG_PIXEL(inputImage, isf_FragNormCoord * IMG_SIZE(inputImage));
}
