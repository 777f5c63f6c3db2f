/*{
    "DESCRIPTION": "Generator: layered mountain ranges under a sky, fading into haze with distance; a new range for every seed.",
    "CREDIT": "shaderlab",
    "ISFVSN": "2",
    "CATEGORIES": ["Generator"],
    "INPUTS": [
        {"NAME": "seed", "TYPE": "float", "DEFAULT": 0.0, "MIN": 0.0, "MAX": 10000.0, "LABEL": "Seed"},
        {"NAME": "ranges", "TYPE": "long", "DEFAULT": 5, "MIN": 1, "MAX": 8, "LABEL": "Ranges"},
        {"NAME": "sunHeight", "TYPE": "float", "DEFAULT": 0.6, "MIN": 0.0, "MAX": 1.0, "LABEL": "Sun height"}
    ]
}*/

float hash(float x) { return fract(sin(x * 91.345 + seed * 0.3123) * 47453.5453); }

float ridge(float x, float layer) {
    float sum = 0.0, amplitude = 0.5, frequency = 2.0;
    for (int i = 0; i < 5; i++) {
        float p = x * frequency + layer * 13.7;
        float i0 = floor(p), f = fract(p);
        float n = mix(hash(i0 + layer * 101.0), hash(i0 + 1.0 + layer * 101.0), f * f * (3.0 - 2.0 * f));
        sum += amplitude * (1.0 - abs(2.0 * n - 1.0));
        amplitude *= 0.5;
        frequency *= 2.1;
    }
    return sum;
}

void main() {
    vec2 uv = isf_FragNormCoord;
    vec3 haze = vec3(0.85, 0.78, 0.72);
    vec3 colour = mix(haze, vec3(0.35, 0.5, 0.75), uv.y);
    vec2 sun = vec2(0.3 + 0.4 * hash(7.0), sunHeight);
    colour = mix(colour, vec3(1.0, 0.92, 0.75), smoothstep(0.08, 0.0, distance(uv * vec2(RENDERSIZE.x / RENDERSIZE.y, 1.0), sun * vec2(RENDERSIZE.x / RENDERSIZE.y, 1.0))));
    for (int layer = 0; layer < 8; layer++) {
        if (layer >= ranges) break;
        float depth = float(layer) / float(max(ranges - 1, 1));  // 0 far, 1 near
        float height = 0.55 - 0.4 * depth + 0.25 * ridge(uv.x, float(layer));
        vec3 rock = mix(vec3(0.45, 0.5, 0.6), vec3(0.12, 0.16, 0.12), depth);
        if (uv.y < height) colour = mix(rock, haze, 0.6 * (1.0 - depth) * (1.0 - uv.y / height) * 0.5 + 0.35 * (1.0 - depth));
    }
    gl_FragColor = vec4(colour, 1.0);
}
