/*{
    "DESCRIPTION": "A parallax camera: pixels move by their depth as the camera orbits, dollies and zooms. Near surfaces hide far ones (a search from near to far for the first surface the view ray meets), so nothing smears across edges.",
    "CREDIT": "shaderlab",
    "ISFVSN": "2",
    "CATEGORIES": ["Depth", "Motion"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "depthImage", "TYPE": "image", "LABEL": "Depth (near = 1)"},
        {"NAME": "orbit", "TYPE": "float", "DEFAULT": 12.0, "MIN": 0.0, "MAX": 100.0, "LABEL": "Orbit (px at nearest)"},
        {"NAME": "orbitSpeed", "TYPE": "float", "DEFAULT": 0.5, "MIN": -4.0, "MAX": 4.0, "LABEL": "Orbit speed (turns/s)"},
        {"NAME": "dolly", "TYPE": "float", "DEFAULT": 0.0, "MIN": -0.5, "MAX": 0.5, "LABEL": "Dolly"},
        {"NAME": "dollySpeed", "TYPE": "float", "DEFAULT": 0.25, "MIN": 0.0, "MAX": 4.0, "LABEL": "Dolly speed (cycles/s)"},
        {"NAME": "zoom", "TYPE": "float", "DEFAULT": 1.0, "MIN": 0.5, "MAX": 3.0, "LABEL": "Zoom"},
        {"NAME": "focus", "TYPE": "float", "DEFAULT": 0.0, "MIN": 0.0, "MAX": 1.0, "LABEL": "Still depth"}
    ]
}*/

const int STEPS = 48;

void main() {
    float angle = 6.2831853 * orbitSpeed * TIME;
    vec2 orbitShift = orbit * vec2(cos(angle), sin(angle)) - orbit * vec2(1.0, 0.0);
    float scale = dolly * sin(6.2831853 * dollySpeed * TIME);
    vec2 here = gl_FragCoord.xy;
    vec2 centre = RENDERSIZE * 0.5;
    // Walk depth levels from near to far; at each level find which source point would land
    // here if it were at that depth, and stop at the first whose depth reaches the level.
    vec2 found = vec2(-1.0);
    vec2 farthest = here;
    for (int i = 0; i <= STEPS; i++) {
        float level = 1.0 - float(i) / float(STEPS);
        float k = level - focus;
        vec2 source = centre + (here - orbitShift * k - centre) / (zoom * (1.0 + scale * k));
        farthest = source;
        float depth = IMG_NORM_PIXEL(depthImage, source / RENDERSIZE).r;
        if (depth >= level - 0.5 / float(STEPS)) {
            found = source;
            break;
        }
    }
    vec2 at = found.x >= 0.0 ? found : farthest;  // nothing met: the far background shows
    gl_FragColor = IMG_NORM_PIXEL(inputImage, at / RENDERSIZE);
}
