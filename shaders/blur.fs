/*{
    "DESCRIPTION": "Gaussian blur (sigma = radius / 2, taps out to the radius), as two separable passes.",
    "CREDIT": "shaderlab",
    "ISFVSN": "2",
    "INPUT_AT_RENDERSIZE": true,
    "CATEGORIES": ["Blur"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "radius", "TYPE": "float", "DEFAULT": 4.0, "MIN": 0.0, "MAX": 64.0, "LABEL": "Radius (px)"}
    ],
    "PASSES": [
        {"TARGET": "horizontalPass"},
        {}
    ]
}*/

// One axis of the kernel, a tap at each whole pixel. Here (SHADERLAB: the input is at the
// render size) taps are texel fetches: on a CPU rasterizer (llvmpipe) a filtered read costs as
// much as nine of them, more than the old trick of pairing taps into one filtered read saved.
// Other ISF hosts get filtered reads at the same places.
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
        gl_FragColor = gaussian(horizontalPass, ivec2(0, 1));
    }
}
