/*{
    "DESCRIPTION": "Unsharp mask: adds `amount` times the difference between the image and its Gaussian blur (sigma = radius / 2).",
    "CREDIT": "shaderlab",
    "ISFVSN": "2",
    "INPUT_AT_RENDERSIZE": true,
    "CATEGORIES": ["Sharpen"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "amount", "TYPE": "float", "DEFAULT": 1.0, "MIN": 0.0, "MAX": 8.0, "LABEL": "Amount"},
        {"NAME": "radius", "TYPE": "float", "DEFAULT": 2.0, "MIN": 0.0, "MAX": 32.0, "LABEL": "Radius (px)"}
    ],
    "PASSES": [
        {"TARGET": "horizontalPass", "FLOAT": true},
        {}
    ]
}*/

// The same Gaussian as blur.fs (texel fetches here, where the input is at the render size),
// kept in this file so that it runs in any ISF host. The blur between passes is kept in float:
// amount multiplies its rounding (8-bit would be 4 levels off at amount 8).
#ifdef SHADERLAB
#define TAP(image, offset) texelFetch(image, clamp(here + (offset), ivec2(0), last), 0)
#else
#define TAP(image, offset) IMG_NORM_PIXEL(image, (vec2(here + (offset)) + 0.5) / RENDERSIZE)
#endif

vec4 gaussian(sampler2D image, ivec2 axis) {
    float sigma = max(radius * 0.5, 1e-3);
    int taps = int(ceil(radius));
    ivec2 here = ivec2(gl_FragCoord.xy);
    ivec2 last = ivec2(RENDERSIZE) - 1;
    vec4 sum = TAP(image, ivec2(0));
    float total = 1.0;
    // Weights g^(i*i) with g = exp(-1 / (2 sigma^2)), stepped by multiplication: one exp() a pixel.
    float g = exp(-0.5 / (sigma * sigma));
    float weight = 1.0;
    float ratio = g;              // weight(i + 1) / weight(i), for i = 0
    for (int i = 1; i <= taps; i++) {
        weight *= ratio;
        ratio *= g * g;
        sum += (TAP(image, axis * i) + TAP(image, -axis * i)) * weight;
        total += 2.0 * weight;
    }
    return sum / total;
}

void main() {
    if (PASSINDEX == 0) {
        gl_FragColor = gaussian(inputImage, ivec2(1, 0));
    } else {
        ivec2 here = ivec2(gl_FragCoord.xy);
        ivec2 last = ivec2(RENDERSIZE) - 1;
        vec4 original = TAP(inputImage, ivec2(0));
        vec4 blurred = gaussian(horizontalPass, ivec2(0, 1));
        vec3 sharp = original.rgb + amount * (original.rgb - blurred.rgb);
        gl_FragColor = vec4(clamp(sharp, 0.0, 1.0), original.a);
    }
}
