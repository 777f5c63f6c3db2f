/*{
    "DESCRIPTION": "Generator: a book cover — a coloured ground, a bold geometric motif, and title and author lines as glyph blocks; a new cover for every seed.",
    "CREDIT": "shaderlab",
    "ISFVSN": "2",
    "CATEGORIES": ["Generator"],
    "INPUTS": [
        {"NAME": "seed", "TYPE": "float", "DEFAULT": 0.0, "MIN": 0.0, "MAX": 10000.0, "LABEL": "Seed"}
    ]
}*/

float hash(float x) { return fract(sin(x * 78.233 + seed * 1.7371) * 43758.5453); }

vec3 palette(float t) { return 0.5 + 0.5 * cos(6.2831853 * (vec3(0.0, 0.33, 0.67) + t)); }

// Glyph blocks: a line of "letters" of random widths, like text seen from afar.
float glyphs(vec2 uv, float top, float height, float width, float line) {
    if (uv.y > top || uv.y < top - height || abs(uv.x - 0.5) > width * 0.5) return 0.0;
    float x = (uv.x - 0.5 + width * 0.5) / width * 12.0;
    float cell = floor(x);
    float fill = step(0.15, fract(x)) * step(fract(x), 0.8 + 0.15 * hash(cell + line * 31.0));
    float gap = step(0.18, hash(cell * 3.1 + line));  // word spaces
    return fill * gap;
}

void main() {
    vec2 uv = isf_FragNormCoord;
    vec3 ground = palette(hash(1.0));
    vec3 ink = palette(hash(2.0) + 0.5) * 0.35;
    vec3 accent = palette(hash(3.0) + 0.25);
    vec3 colour = ground;
    vec2 centre = vec2(0.5, 0.45 + 0.1 * hash(4.0));
    float kind = floor(hash(5.0) * 3.0);
    float d = distance(uv * vec2(RENDERSIZE.x / RENDERSIZE.y, 1.0), centre * vec2(RENDERSIZE.x / RENDERSIZE.y, 1.0));
    if (kind == 0.0) colour = mix(colour, accent, step(d, 0.22 + 0.1 * hash(6.0)));
    else if (kind == 1.0) colour = mix(colour, accent, step(abs(fract((uv.x + uv.y) * (4.0 + 6.0 * hash(7.0))) - 0.5), 0.18) * step(abs(uv.y - 0.45), 0.2));
    else colour = mix(colour, accent, step(0.5, fract(d * (8.0 + 10.0 * hash(8.0)))) * step(d, 0.3));
    colour = mix(colour, ink, glyphs(uv, 0.9, 0.07, 0.75, 1.0));
    colour = mix(colour, ink, glyphs(uv, 0.81, 0.05, 0.55, 2.0));
    colour = mix(colour, ink, glyphs(uv, 0.12, 0.035, 0.4, 3.0));
    colour *= 1.0 - 0.25 * smoothstep(0.0, 0.04, 0.04 - uv.x);  // the spine's shadow
    gl_FragColor = vec4(colour, 1.0);
}
