/*{
    "DESCRIPTION": "Colour saturation: 0 = grey (Rec. 709 luma), 1 = unchanged, above 1 more vivid.",
    "CREDIT": "shaderlab",
    "ISFVSN": "2",
    "INPUT_AT_RENDERSIZE": true,
    "CATEGORIES": ["Color"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "amount", "TYPE": "float", "DEFAULT": 1.5, "MIN": 0.0, "MAX": 4.0, "LABEL": "Saturation"}
    ]
}*/

void main() {
#ifdef SHADERLAB
    vec4 colour = texelFetch(inputImage, ivec2(gl_FragCoord.xy), 0);  // the input is at the render size here
#else
    vec4 colour = IMG_THIS_PIXEL(inputImage);
#endif
    float luma = dot(colour.rgb, vec3(0.2126, 0.7152, 0.0722));
    gl_FragColor = vec4(clamp(mix(vec3(luma), colour.rgb, amount), 0.0, 1.0), colour.a);
}
