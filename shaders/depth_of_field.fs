/*{
    "DESCRIPTION": "Depth of field: sharp at the focal depth, blurred more the further a pixel is from it; the focus can sweep through the scene over time.",
    "CREDIT": "shaderlab",
    "ISFVSN": "2",
    "CATEGORIES": ["Depth", "Blur"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "depthImage", "TYPE": "image", "LABEL": "Depth (near = 1)"},
        {"NAME": "focus", "TYPE": "float", "DEFAULT": 0.6, "MIN": 0.0, "MAX": 1.0, "LABEL": "Focal depth"},
        {"NAME": "sweep", "TYPE": "float", "DEFAULT": 0.0, "MIN": 0.0, "MAX": 0.5, "LABEL": "Focus sweep"},
        {"NAME": "sweepSpeed", "TYPE": "float", "DEFAULT": 0.2, "MIN": 0.0, "MAX": 4.0, "LABEL": "Sweep speed (cycles/s)"},
        {"NAME": "depthRange", "TYPE": "float", "DEFAULT": 0.1, "MIN": 0.0, "MAX": 1.0, "LABEL": "Sharp depth range"},
        {"NAME": "maxRadius", "TYPE": "float", "DEFAULT": 8.0, "MIN": 0.0, "MAX": 32.0, "LABEL": "Largest blur (px)"}
    ]
}*/

const int TAPS = 48;
const float GOLDEN_ANGLE = 2.39996323;

float blurRadius(float depth, float focal) {
    return maxRadius * clamp((abs(depth - focal) - depthRange * 0.5) / 0.5, 0.0, 1.0);
}

void main() {
    vec2 uv = isf_FragNormCoord;
    float focal = clamp(focus + sweep * sin(6.2831853 * sweepSpeed * TIME), 0.0, 1.0);
    float radius = blurRadius(IMG_THIS_PIXEL(depthImage).r, focal);
    vec4 sum = IMG_THIS_PIXEL(inputImage);
    float total = 1.0;
    // A disc of taps on a golden-angle spiral; a tap counts only if its own blur reaches here,
    // so sharp foreground pixels do not bleed into the blur around them.
    for (int i = 1; i < TAPS && radius > 0.5; i++) {
        float r = radius * sqrt(float(i) / float(TAPS));
        vec2 offset = r * vec2(cos(float(i) * GOLDEN_ANGLE), sin(float(i) * GOLDEN_ANGLE)) / RENDERSIZE;
        float tapRadius = blurRadius(IMG_NORM_PIXEL(depthImage, uv + offset).r, focal);
        float weight = clamp(tapRadius - r + 1.0, 0.0, 1.0);
        sum += IMG_NORM_PIXEL(inputImage, uv + offset) * weight;
        total += weight;
    }
    gl_FragColor = sum / total;
}
