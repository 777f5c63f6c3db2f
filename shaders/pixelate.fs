/*{
    "DESCRIPTION": "Blocks of `size` pixels, each the colour of its centre pixel; blocks start at the top-left corner.",
    "CREDIT": "shaderlab",
    "ISFVSN": "2",
    "INPUT_AT_RENDERSIZE": true,
    "CATEGORIES": ["Stylize"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "size", "TYPE": "long", "DEFAULT": 12, "MIN": 1, "MAX": 256, "LABEL": "Block size (px)"}
    ]
}*/

void main() {
    // Pixel position counted from the top-left, as the image is seen.
    vec2 pixel = vec2(floor(gl_FragCoord.x), RENDERSIZE.y - 1.0 - floor(gl_FragCoord.y));
    float block = float(max(size, 1));
    vec2 centre = min(floor(pixel / block) * block + floor(block / 2.0), RENDERSIZE - 1.0);
    vec2 glPixel = vec2(centre.x, RENDERSIZE.y - 1.0 - centre.y);
#ifdef SHADERLAB
    gl_FragColor = texelFetch(inputImage, ivec2(glPixel), 0);  // the input is at the render size here
#else
    gl_FragColor = IMG_NORM_PIXEL(inputImage, (glPixel + 0.5) / RENDERSIZE);
#endif
}
