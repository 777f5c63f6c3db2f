/*{
    "DESCRIPTION": "Depth of field: sharp at the focal depth, blurred more the further a pixel is from it (gathered at half size, with fine grain); the focus can sweep through the scene over time.",
    "CREDIT": "shaderlab",
    "ISFVSN": "2",
    "INPUT_AT_RENDERSIZE": true,
    "CATEGORIES": ["Depth", "Blur"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "depthImage", "TYPE": "image", "LABEL": "Depth (near = 1)"},
        {"NAME": "focus", "TYPE": "float", "DEFAULT": 0.6, "MIN": 0.0, "MAX": 1.0, "LABEL": "Focal depth"},
        {"NAME": "sweep", "TYPE": "float", "DEFAULT": 0.0, "MIN": 0.0, "MAX": 0.5, "LABEL": "Focus sweep"},
        {"NAME": "sweepSpeed", "TYPE": "float", "DEFAULT": 0.2, "MIN": 0.0, "MAX": 4.0, "LABEL": "Sweep speed (cycles/s)"},
        {"NAME": "depthRange", "TYPE": "float", "DEFAULT": 0.1, "MIN": 0.0, "MAX": 1.0, "LABEL": "Sharp depth range"},
        {"NAME": "maxRadius", "TYPE": "float", "DEFAULT": 8.0, "MIN": 0.0, "MAX": 32.0, "LABEL": "Largest blur (px)"}
    ],
    "PASSES": [
        {"TARGET": "blurred", "WIDTH": "max(floor($WIDTH / 2), 1)", "HEIGHT": "max(floor($HEIGHT / 2), 1)"},
        {}
    ]
}*/

// The blur is gathered at half the size (a quarter of the pixels, and half the taps cover the
// same disc), then each pixel mixes its own sharp colour with the blur by how far it is from
// the focal depth. Distances are in the render's pixels at both sizes (the input is at the
// render size: INPUT_AT_RENDERSIZE).
const int MAX_TAPS = 32;
const float GOLDEN_ANGLE = 2.39996323;

float blurRadius(float depth, float focal) {
    return maxRadius * clamp((abs(depth - focal) - depthRange * 0.5) / 0.5, 0.0, 1.0);
}

// Here (SHADERLAB) the depth map is read at whole pixels (texel fetches: a filtered read costs
// about nine on a CPU rasterizer); it may be at another size than the picture, so its pixel is
// found by scaling. Other hosts read it filtered.
// The picture's taps, at arbitrary points of the spiral, read the pixel they fall in here (the
// half-size gather and its enlarging smooth them anyway), filtered elsewhere.
#ifdef SHADERLAB
#define DEPTH_AT(p) texelFetch(depthImage, clamp(ivec2((p) * depthScale), ivec2(0), ivec2(IMG_SIZE(depthImage)) - 1), 0).r
#define PICTURE_AT(p) texelFetch(inputImage, clamp(ivec2(p), ivec2(0), ivec2(full) - 1), 0)
#define SHARP_HERE texelFetch(inputImage, ivec2(gl_FragCoord.xy), 0)
#else
#define DEPTH_AT(p) IMG_NORM_PIXEL(depthImage, (p) / full).r
#define PICTURE_AT(p) IMG_NORM_PIXEL(inputImage, (p) / full)
#define SHARP_HERE IMG_THIS_PIXEL(inputImage)
#endif

void main() {
    vec2 full = IMG_SIZE(inputImage);
    vec2 depthScale = IMG_SIZE(depthImage) / full;
    float focal = clamp(focus + sweep * sin(6.2831853 * sweepSpeed * TIME), 0.0, 1.0);
    if (PASSINDEX == 0) {
        // At half size: a disc of taps on a golden-angle spiral around this point of the
        // picture (the direction turned by a rotation, not a sin and cos a tap). A tap counts
        // only if its own blur reaches here, so sharp foreground pixels do not bleed into the
        // blur around them.
        vec2 here = gl_FragCoord.xy * full / RENDERSIZE;
        float radius = blurRadius(DEPTH_AT(here), focal);
        vec4 sum = IMG_NORM_PIXEL(inputImage, here / full);  // the 2×2 pixels here, averaged
        float total = 1.0;
        vec2 turn = vec2(cos(GOLDEN_ANGLE), sin(GOLDEN_ANGLE));
        // Each pixel's spiral starts at its own angle (interleaved gradient noise), so the few
        // taps make fine grain, which the enlarging smooths, instead of a repeated pattern.
        float start = 6.2831853 * fract(52.9829189 * fract(dot(gl_FragCoord.xy, vec2(0.06711056, 0.00583715))));
        vec2 direction = vec2(cos(start), sin(start));
        // Taps by the size of the disc (a loop of a count known only here also keeps the compiler
        // from unrolling it and then running this pass's work in the other pass too).
        int taps = int(clamp(radius * 1.5 + 4.0, 1.0, float(MAX_TAPS)));
        for (int i = 1; i < taps; i++) {
            float r = radius * sqrt(float(i) / float(taps));
            vec2 at = here + r * direction;
            float weight = clamp(blurRadius(DEPTH_AT(at), focal) - r + 1.0, 0.0, 1.0);
            sum += PICTURE_AT(at) * weight;
            total += weight;
            direction = vec2(direction.x * turn.x - direction.y * turn.y, direction.x * turn.y + direction.y * turn.x);
        }
        gl_FragColor = sum / total;
    } else {
        vec2 here = isf_FragNormCoord * full;
        float radius = blurRadius(DEPTH_AT(here), focal);
        vec4 sharp = SHARP_HERE;
        // In focus (under half a pixel of blur): the picture itself; from one pixel on: the blur.
        gl_FragColor = mix(sharp, IMG_NORM_PIXEL(blurred, isf_FragNormCoord), clamp(radius - 0.5, 0.0, 1.0));
    }
}
