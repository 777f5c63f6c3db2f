/*{
    "DESCRIPTION": "Generator: a sky of drifting clouds (domain-warped fractal noise), different for every seed.",
    "CREDIT": "shaderlab",
    "ISFVSN": "2",
    "CATEGORIES": ["Generator"],
    "INPUTS": [
        {"NAME": "seed", "TYPE": "float", "DEFAULT": 0.0, "MIN": 0.0, "MAX": 10000.0, "LABEL": "Seed"},
        {"NAME": "cover", "TYPE": "float", "DEFAULT": 0.5, "MIN": 0.0, "MAX": 1.0, "LABEL": "Cloud cover"},
        {"NAME": "drift", "TYPE": "float", "DEFAULT": 0.02, "MIN": 0.0, "MAX": 0.5, "LABEL": "Drift"}
    ]
}*/

float hash(vec2 p) { return fract(sin(dot(p, vec2(127.1, 311.7)) + seed * 0.1731) * 43758.5453); }

float noise(vec2 p) {
    vec2 i = floor(p), f = fract(p);
    vec2 u = f * f * (3.0 - 2.0 * f);
    return mix(mix(hash(i), hash(i + vec2(1, 0)), u.x), mix(hash(i + vec2(0, 1)), hash(i + vec2(1, 1)), u.x), u.y);
}

float fbm(vec2 p) {
    float sum = 0.0, amplitude = 0.5;
    for (int i = 0; i < 6; i++) { sum += amplitude * noise(p); p = p * 2.03 + 17.0; amplitude *= 0.5; }
    return sum;
}

void main() {
    vec2 uv = isf_FragNormCoord;
    vec2 p = vec2(uv.x * RENDERSIZE.x / RENDERSIZE.y, uv.y) * 3.0 + vec2(TIME * drift, 0.0);
    vec2 warp = vec2(fbm(p + 3.1), fbm(p - 7.7));
    float density = smoothstep(1.0 - cover - 0.15, 1.0 - cover + 0.35, fbm(p + 1.8 * warp));
    vec3 sky = mix(vec3(0.62, 0.78, 0.95), vec3(0.18, 0.38, 0.78), uv.y);
    vec3 cloud = mix(vec3(0.72, 0.74, 0.8), vec3(1.0), fbm(p * 1.7 + warp));
    gl_FragColor = vec4(mix(sky, cloud, density), 1.0);
}
