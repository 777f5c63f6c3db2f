/*{
    "DESCRIPTION": "Separates the colour channels: red moves `amount` pixels along `angle`, blue the opposite way, green stays.",
    "CREDIT": "shaderlab",
    "ISFVSN": "2",
    "INPUT_AT_RENDERSIZE": true,
    "CATEGORIES": ["Glitch", "Color"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "amount", "TYPE": "float", "DEFAULT": 8.0, "MIN": 0.0, "MAX": 200.0, "LABEL": "Shift (px)"},
        {"NAME": "angle", "TYPE": "float", "DEFAULT": 0.0, "MIN": 0.0, "MAX": 360.0, "LABEL": "Angle (deg)"}
    ],
    "PASSES": [
        {"SHADERLAB_WHEN": "abs($amount * cos($angle * pi / 180) - round($amount * cos($angle * pi / 180))) < 0.0001 && abs($amount * sin($angle * pi / 180) - round($amount * sin($angle * pi / 180))) < 0.0001"},
        {"SHADERLAB_WHEN": "1 - (abs($amount * cos($angle * pi / 180) - round($amount * cos($angle * pi / 180))) < 0.0001 && abs($amount * sin($angle * pi / 180) - round($amount * sin($angle * pi / 180))) < 0.0001)"}
    ]
}*/

// A shift of whole pixels (the default: 8 px at 0 degrees) reads three texels a pixel (pass 0);
// any other reads the two shifted places filtered (pass 1). Here SHADERLAB_WHEN runs the one
// the shift needs; another host runs both, and the second, right for every shift, is what shows.

#ifdef SHADERLAB
// The input at a position in pixels (texel centres at .5), filtered as the GL filters, from
// four whole texels: a CPU rasterizer does that faster than one filtered tap, and a shift of
// whole pixels reads the texels exactly.
vec4 inputAt(vec2 position) {
    vec2 corner = position - 0.5;
    vec2 weight = fract(corner);
    ivec2 last = ivec2(RENDERSIZE) - 1;
    ivec2 low = clamp(ivec2(floor(corner)), ivec2(0), last);
    ivec2 high = clamp(ivec2(floor(corner)) + 1, ivec2(0), last);
    return mix(mix(texelFetch(inputImage, low, 0), texelFetch(inputImage, ivec2(high.x, low.y), 0), weight.x),
               mix(texelFetch(inputImage, ivec2(low.x, high.y), 0), texelFetch(inputImage, high, 0), weight.x), weight.y);
}
#endif

void main() {
    float radians_ = radians(angle);
    vec2 shift = amount * vec2(cos(radians_), sin(radians_));
#ifdef SHADERLAB
    if (PASSINDEX == 0) {  // whole pixels: the texels themselves, as the filtered path reads them then
        ivec2 here = ivec2(gl_FragCoord.xy);
        ivec2 last = ivec2(RENDERSIZE) - 1;
        ivec2 whole = ivec2(round(shift));
        vec4 centre = texelFetch(inputImage, here, 0);
        gl_FragColor = vec4(texelFetch(inputImage, clamp(here - whole, ivec2(0), last), 0).r, centre.g,
                            texelFetch(inputImage, clamp(here + whole, ivec2(0), last), 0).b, centre.a);
        return;
    }
    vec4 centre = texelFetch(inputImage, ivec2(gl_FragCoord.xy), 0);  // the input is at the render size here
    float red = inputAt(gl_FragCoord.xy - shift).r;
    float blue = inputAt(gl_FragCoord.xy + shift).b;
#else
    vec2 uv = isf_FragNormCoord;
    vec4 centre = IMG_NORM_PIXEL(inputImage, uv);
    float red = IMG_NORM_PIXEL(inputImage, uv - shift / RENDERSIZE).r;
    float blue = IMG_NORM_PIXEL(inputImage, uv + shift / RENDERSIZE).b;
#endif
    gl_FragColor = vec4(red, centre.g, blue, centre.a);
}
