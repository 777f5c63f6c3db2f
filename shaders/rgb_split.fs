/*{
    "DESCRIPTION": "Separates the colour channels: red moves `amount` pixels along `angle`, blue the opposite way, green stays.",
    "CREDIT": "shaderlab",
    "ISFVSN": "2",
    "CATEGORIES": ["Glitch", "Color"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "amount", "TYPE": "float", "DEFAULT": 8.0, "MIN": 0.0, "MAX": 200.0, "LABEL": "Shift (px)"},
        {"NAME": "angle", "TYPE": "float", "DEFAULT": 0.0, "MIN": 0.0, "MAX": 360.0, "LABEL": "Angle (deg)"}
    ]
}*/

void main() {
    float radians_ = radians(angle);
    vec2 shift = amount * vec2(cos(radians_), sin(radians_)) / RENDERSIZE;
    vec2 uv = isf_FragNormCoord;
    vec4 centre = IMG_NORM_PIXEL(inputImage, uv);
    float red = IMG_NORM_PIXEL(inputImage, uv - shift).r;
    float blue = IMG_NORM_PIXEL(inputImage, uv + shift).b;
    gl_FragColor = vec4(red, centre.g, blue, centre.a);
}
