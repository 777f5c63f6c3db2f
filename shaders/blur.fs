/*{
    "DESCRIPTION": "Gaussian blur (sigma = radius / 2, taps out to the radius), as two separable passes; from a radius of 16 the blur is worked out exactly at a grid of samples (every radius / 8 pixels) and smoothly enlarged.",
    "CREDIT": "shaderlab",
    "ISFVSN": "2",
    "INPUT_AT_RENDERSIZE": true,
    "CATEGORIES": ["Blur"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "radius", "TYPE": "float", "DEFAULT": 4.0, "MIN": 0.0, "MAX": 64.0, "LABEL": "Radius (px)"}
    ],
    "PASSES": [
        {"TARGET": "horizontalPass", "SHADERLAB_WHEN": "$radius < 16",
         "WIDTH": "$radius < 16 ? $WIDTH : 1", "HEIGHT": "$radius < 16 ? $HEIGHT : 1"},
        {"TARGET": "columns", "FLOAT": true, "SHADERLAB_WHEN": "$radius >= 16",
         "WIDTH": "$radius < 16 ? 1 : ceil(($WIDTH - 1) / max(floor($radius / 8), 1)) + 1",
         "HEIGHT": "$radius < 16 ? 1 : $HEIGHT"},
        {"TARGET": "samples", "FLOAT": true, "SHADERLAB_WHEN": "$radius >= 16",
         "WIDTH": "$radius < 16 ? 2 : ceil(($WIDTH - 1) / max(floor($radius / 8), 1)) + 1",
         "HEIGHT": "$radius < 16 ? 2 : ceil(($HEIGHT - 1) / max(floor($radius / 8), 1)) + 1"},
        {"SHADERLAB_WHEN": "$radius < 16"},
        {"SHADERLAB_WHEN": "$radius >= 16"}
    ]
}*/

// Up to a radius of 16: a horizontal pass over every pixel into horizontalPass, then a vertical
// one into the output (passes 0 and 3), a tap at each whole pixel.
//
// From 16 on, a sigma of at least 8 pixels makes the blurred picture smooth enough to be worked
// out at fewer places: at every `spacing` = floor(radius / 8) pixels across (pass 1, into
// `columns`, still every row) and then down (pass 2, into `samples`), with the same exact taps,
// and enlarged by linear interpolation between those samples (pass 4). The last sample of a
// side is its last pixel, so the edges are exact too. Within one level of the two passes done
// everywhere (tests/test_effects.py), for a quarter of the taps at radius 16 and a sixteenth at
// 32: a CPU rasterizer blurs at radius 32 in a third of the time, and so should a GPU.
//
// SHADERLAB_WHEN (our extension) skips the passes a radius does not need; another host runs
// every pass (the unneeded ones on a pixel or two), and its last pass picks the right result.
//
// Here (SHADERLAB: the input is at the render size) taps are texel fetches: on a CPU
// rasterizer (llvmpipe) a filtered read costs as much as two or three of them, more than the
// old trick of pairing taps into one filtered read saves. Other hosts get filtered reads at
// the same places.
#ifdef SHADERLAB
#define FETCH(image, pixel, size) texelFetch(image, pixel, 0)
#else
#define FETCH(image, pixel, size) IMG_NORM_PIXEL(image, (vec2(pixel) + 0.5) / vec2(size))
#endif

// The kernel along `axis` around `centre` of an image of `size` pixels, taps clamped to it.
vec4 gaussian(sampler2D image, ivec2 size, ivec2 centre, ivec2 axis) {
    float sigma = max(radius * 0.5, 1e-3);
    int taps = int(ceil(radius));
    ivec2 last = size - 1;
    vec4 sum = FETCH(image, centre, size);
    float total = 1.0;
    // Weights g^(i*i) with g = exp(-1 / (2 sigma^2)), stepped by multiplication: one exp() a pixel.
    float g = exp(-0.5 / (sigma * sigma));
    float weight = 1.0;
    float ratio = g;              // weight(i + 1) / weight(i), for i = 0
    for (int i = 1; i <= taps; i++) {
        weight *= ratio;
        ratio *= g * g;
        sum += (FETCH(image, clamp(centre + axis * i, ivec2(0), last), size)
                + FETCH(image, clamp(centre - axis * i, ivec2(0), last), size)) * weight;
        total += 2.0 * weight;
    }
    return sum / total;
}

int sampleSpacing() {
    return max(int(floor(radius / 8.0)), 1);
}

// Where sample `k` of a side of `side` pixels lies: every `spacing` pixels, the last at the end.
int samplePosition(int k, int spacing, int side) {
    return min(k * spacing, side - 1);
}

// The blur here, linearly between the four samples around this pixel.
vec4 enlarged() {
    int spacing = sampleSpacing();
    ivec2 full = ivec2(RENDERSIZE);
    ivec2 count = ivec2(IMG_SIZE(samples));
    ivec2 pixel = ivec2(int(gl_FragCoord.x), full.y - 1 - int(gl_FragCoord.y));  // from the top left
    ivec2 k = clamp(pixel / spacing, ivec2(0), max(count - 2, ivec2(0)));
    ivec2 next = min(k + 1, count - 1);
    ivec2 from = ivec2(samplePosition(k.x, spacing, full.x), samplePosition(k.y, spacing, full.y));
    ivec2 to = ivec2(samplePosition(next.x, spacing, full.x), samplePosition(next.y, spacing, full.y));
    vec2 w = clamp(vec2(pixel - from) / vec2(max(to - from, ivec2(1))), 0.0, 1.0);
    int upper = count.y - 1 - k.y;  // texture rows count from the bottom
    int lower = count.y - 1 - next.y;
    return mix(mix(FETCH(samples, ivec2(k.x, upper), count), FETCH(samples, ivec2(next.x, upper), count), w.x),
               mix(FETCH(samples, ivec2(k.x, lower), count), FETCH(samples, ivec2(next.x, lower), count), w.x), w.y);
}

void main() {
    ivec2 full = ivec2(IMG_SIZE(inputImage));  // the render size: INPUT_AT_RENDERSIZE
    ivec2 here = ivec2(gl_FragCoord.xy);
    if (PASSINDEX == 0) {
        gl_FragColor = gaussian(inputImage, full, here, ivec2(1, 0));
    } else if (PASSINDEX == 1) {
        // Sample column here.x, every row.
        gl_FragColor = gaussian(inputImage, full, ivec2(samplePosition(here.x, sampleSpacing(), full.x), here.y), ivec2(1, 0));
    } else if (PASSINDEX == 2) {
        // Sample row (counted from the top) of this pass's rows, every sample column.
        ivec2 size = ivec2(IMG_SIZE(columns));
        int row = size.y - 1 - samplePosition(int(RENDERSIZE.y) - 1 - here.y, sampleSpacing(), size.y);
        gl_FragColor = gaussian(columns, size, ivec2(here.x, row), ivec2(0, 1));
    } else if (PASSINDEX == 3) {
        gl_FragColor = gaussian(horizontalPass, full, here, ivec2(0, 1));
    } else {
#ifdef SHADERLAB
        gl_FragColor = enlarged();  // shaderlab runs this pass only from a radius of 16
#else
        gl_FragColor = radius < 16.0 ? gaussian(horizontalPass, full, here, ivec2(0, 1)) : enlarged();
#endif
    }
}
