/*{
    "DESCRIPTION": "Enhance: dreams new patterns into the picture. A feedback loop keeps amplifying the detail already in the image (an unsharp mask applied to its own last frame) while warping it along its edges, so structures grow out of the noise frame after frame. The loop is bounded: amplifying detail keeps the local average, and `anchor` pulls every frame back toward the input, so it never blows out to white or black.",
    "CREDIT": "shaderlab",
    "ISFVSN": "2",
    "CATEGORIES": ["Stylize", "Feedback"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "strength", "TYPE": "float", "DEFAULT": 0.35, "MIN": 0.0, "MAX": 1.0, "LABEL": "Strength"},
        {"NAME": "speed", "TYPE": "float", "DEFAULT": 0.6, "MIN": 0.0, "MAX": 4.0, "LABEL": "Speed (px/frame)"},
        {"NAME": "scale", "TYPE": "float", "DEFAULT": 2.0, "MIN": 1.0, "MAX": 8.0, "LABEL": "Pattern size (px)"},
        {"NAME": "anchor", "TYPE": "float", "DEFAULT": 0.04, "MIN": 0.0, "MAX": 0.5, "LABEL": "Hold to the input"},
        {"NAME": "amount", "TYPE": "float", "DEFAULT": 1.0, "MIN": 0.0, "MAX": 1.0, "LABEL": "Mix"}
    ],
    "PASSES": [
        {"TARGET": "blurred", "FLOAT": true},
        {"TARGET": "dream", "PERSISTENT": true, "FLOAT": true},
        {}
    ]
}*/

// Pass 0: the dream's local average. Pass 1: the next dream frame. Pass 2: mixed with the input.

vec4 dreamAt(vec2 uv) {
    return FRAMEINDEX == 0 ? IMG_NORM_PIXEL(inputImage, uv) : IMG_NORM_PIXEL(dream, uv);
}

const float DETAIL_LIMIT = 0.3;

float luma(vec4 c) { return dot(c.rgb, vec3(0.2126, 0.7152, 0.0722)); }

void main() {
    vec2 uv = isf_FragNormCoord;
    vec2 texel = 1.0 / RENDERSIZE;
    if (PASSINDEX == 0) {
        // A 3×3 binomial average at `scale` pixels: the detail is what differs from it.
        vec2 d = texel * scale;
        vec4 sum = 4.0 * dreamAt(uv);
        sum += 2.0 * (dreamAt(uv + vec2(d.x, 0.0)) + dreamAt(uv - vec2(d.x, 0.0)) + dreamAt(uv + vec2(0.0, d.y)) + dreamAt(uv - vec2(0.0, d.y)));
        sum += dreamAt(uv + d) + dreamAt(uv - d) + dreamAt(uv + vec2(d.x, -d.y)) + dreamAt(uv + vec2(-d.x, d.y));
        gl_FragColor = sum / 16.0;
    } else if (PASSINDEX == 1) {
        // Flow along the edges of the average, across its gradient: moving along the
        // gradient would carry dark into bright (or back) and drift the whole picture.
        vec2 d = texel * scale;
        float gx = luma(IMG_NORM_PIXEL(blurred, uv + vec2(d.x, 0.0))) - luma(IMG_NORM_PIXEL(blurred, uv - vec2(d.x, 0.0)));
        float gy = luma(IMG_NORM_PIXEL(blurred, uv + vec2(0.0, d.y))) - luma(IMG_NORM_PIXEL(blurred, uv - vec2(0.0, d.y)));
        vec2 gradient = vec2(gx, gy);
        vec2 flow = length(gradient) > 1e-5 ? normalize(vec2(-gy, gx)) : vec2(0.0);
        vec2 from = uv - flow * speed * texel;
        vec4 previous = dreamAt(from);
        vec4 average = IMG_NORM_PIXEL(blurred, from);
        // Detail grows by (1 + strength) a frame but saturates softly at ±DETAIL_LIMIT around
        // the local average, so patterns stay patterns instead of clipping to black or white.
        vec4 detail = (previous - average) * (1.0 + strength);
        vec4 next = average + DETAIL_LIMIT * tanh(detail / DETAIL_LIMIT);
        next = mix(next, IMG_NORM_PIXEL(inputImage, uv), anchor);
        gl_FragColor = vec4(clamp(next.rgb, 0.0, 1.0), 1.0);
    } else {
        vec4 original = IMG_NORM_PIXEL(inputImage, uv);
        gl_FragColor = vec4(mix(original.rgb, IMG_NORM_PIXEL(dream, uv).rgb, amount), original.a);
    }
}
