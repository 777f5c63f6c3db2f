/*{
    "DESCRIPTION": "Enhance: dreams new patterns into the picture. A feedback loop keeps amplifying the detail already in the image (an unsharp mask applied to its own last frame) while warping it along its edges, so structures grow out of the noise frame after frame. The loop is bounded: amplifying detail keeps the local average, and `anchor` pulls every frame back toward the input, so it never blows out to white or black.",
    "CREDIT": "shaderlab",
    "ISFVSN": "2",
    "CATEGORIES": ["Stylize", "Feedback"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "strength", "TYPE": "float", "DEFAULT": 0.3, "MIN": 0.0, "MAX": 1.0, "LABEL": "Strength"},
        {"NAME": "speed", "TYPE": "float", "DEFAULT": 0.6, "MIN": 0.0, "MAX": 4.0, "LABEL": "Speed (px/frame)"},
        {"NAME": "scale", "TYPE": "float", "DEFAULT": 4.0, "MIN": 1.5, "MAX": 16.0, "LABEL": "Pattern size (px)"},
        {"NAME": "anchor", "TYPE": "float", "DEFAULT": 0.04, "MIN": 0.0, "MAX": 0.5, "LABEL": "Hold to the input"},
        {"NAME": "amount", "TYPE": "float", "DEFAULT": 1.0, "MIN": 0.0, "MAX": 1.0, "LABEL": "Mix"}
    ],
    "PASSES": [
        {"TARGET": "smoothed", "FLOAT": true},
        {"TARGET": "dream", "PERSISTENT": true, "FLOAT": true},
        {}
    ]
}*/

// Pass 0: the dream, lightly smoothed (pixel-level noise must not be what grows).
// Pass 1: the next dream frame: detail between that and a wide, round average is amplified.
// Pass 2: mixed with the input.

const float DETAIL_LIMIT = 0.3;
const int RING_TAPS = 12;

vec4 dreamAt(vec2 uv) {
    return FRAMEINDEX == 0 ? IMG_NORM_PIXEL(inputImage, uv) : IMG_NORM_PIXEL(dream, uv);
}

float luma(vec4 c) { return dot(c.rgb, vec3(0.2126, 0.7152, 0.0722)); }

// A wide average of the smoothed dream: taps on a golden-angle spiral out to `scale` pixels,
// round, so the patterns that grow have no favourite direction.
vec4 wideAverage(vec2 uv, vec2 texel) {
    vec4 sum = IMG_NORM_PIXEL(smoothed, uv);
    for (int i = 1; i <= RING_TAPS; i++) {
        float r = scale * sqrt(float(i) / float(RING_TAPS));
        float a = float(i) * 2.39996323;
        sum += IMG_NORM_PIXEL(smoothed, uv + r * vec2(cos(a), sin(a)) * texel);
    }
    return sum / float(RING_TAPS + 1);
}

void main() {
    vec2 uv = isf_FragNormCoord;
    vec2 texel = 1.0 / RENDERSIZE;
    if (PASSINDEX == 0) {
        // 3×3 binomial at one pixel: it removes the checkerboard a feedback loop would grow.
        vec4 sum = 4.0 * dreamAt(uv);
        sum += 2.0 * (dreamAt(uv + vec2(texel.x, 0.0)) + dreamAt(uv - vec2(texel.x, 0.0)) + dreamAt(uv + vec2(0.0, texel.y)) + dreamAt(uv - vec2(0.0, texel.y)));
        sum += dreamAt(uv + texel) + dreamAt(uv - texel) + dreamAt(uv + vec2(texel.x, -texel.y)) + dreamAt(uv + vec2(-texel.x, texel.y));
        gl_FragColor = sum / 16.0;
    } else if (PASSINDEX == 1) {
        // Flow along the edges (across the gradient): moving along the gradient would carry
        // dark into bright, or back, and drift the whole picture.
        vec2 d = texel * scale;
        float gx = luma(IMG_NORM_PIXEL(smoothed, uv + vec2(d.x, 0.0))) - luma(IMG_NORM_PIXEL(smoothed, uv - vec2(d.x, 0.0)));
        float gy = luma(IMG_NORM_PIXEL(smoothed, uv + vec2(0.0, d.y))) - luma(IMG_NORM_PIXEL(smoothed, uv - vec2(0.0, d.y)));
        vec2 gradient = vec2(gx, gy);
        vec2 flow = length(gradient) > 1e-5 ? normalize(vec2(-gy, gx)) : vec2(0.0);
        vec2 from = uv - flow * speed * texel;
        vec4 previous = dreamAt(from);
        vec4 average = wideAverage(from, texel);
        // The band between the smoothed dream and its wide average grows by `strength` a
        // frame (pixel noise is not in it, so no checkerboard grows); the distance from the
        // wide average saturates softly at ±DETAIL_LIMIT, so patterns stay patterns instead
        // of clipping to black or white. At strength 0 the picture stays as it is.
        vec4 band = IMG_NORM_PIXEL(smoothed, from) - average;
        vec4 next = average + DETAIL_LIMIT * tanh((previous + strength * band - average) / DETAIL_LIMIT);
        next = mix(next, IMG_NORM_PIXEL(inputImage, uv), anchor);
        gl_FragColor = vec4(clamp(next.rgb, 0.0, 1.0), 1.0);
    } else {
        vec4 original = IMG_NORM_PIXEL(inputImage, uv);
        gl_FragColor = vec4(mix(original.rgb, IMG_NORM_PIXEL(dream, uv).rgb, amount), original.a);
    }
}
