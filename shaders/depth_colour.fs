/*{
    "DESCRIPTION": "Colours the picture by depth through a palette, in bands that travel through depth over time.",
    "CREDIT": "shaderlab",
    "ISFVSN": "2",
    "CATEGORIES": ["Depth", "Color"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "depthImage", "TYPE": "image", "LABEL": "Depth (near = 1)"},
        {"NAME": "palette", "TYPE": "long", "DEFAULT": 2,
         "VALUES": [0, 1, 2, 3, 4, 5, 6, 7],
         "LABELS": ["fire", "ocean", "viridis", "neon", "sunset", "thermal", "acid", "grey"],
         "LABEL": "Palette"},
        {"NAME": "bands", "TYPE": "float", "DEFAULT": 1.0, "MIN": 1.0, "MAX": 32.0, "LABEL": "Bands"},
        {"NAME": "speed", "TYPE": "float", "DEFAULT": 0.0, "MIN": -4.0, "MAX": 4.0, "LABEL": "Travel (bands/s)"},
        {"NAME": "shade", "TYPE": "float", "DEFAULT": 0.0, "MIN": 0.0, "MAX": 1.0, "LABEL": "Keep the picture's light"},
        {"NAME": "mixAmount", "TYPE": "float", "DEFAULT": 1.0, "MIN": 0.0, "MAX": 1.0, "LABEL": "Mix"}
    ],
    "IMPORTED": {
        "palettes": {"PATH": "../assets/palettes.png"}
    }
}*/

const float PALETTE_COUNT = 8.0;

void main() {
    vec4 colour = IMG_THIS_PIXEL(inputImage);
    float depth = clamp(IMG_THIS_PIXEL(depthImage).r, 0.0, 1.0);
    // Bands fold back (a triangle wave), so with one band and no travel depth 0..1 spans the
    // palette once, far to near; travel moves the bands toward the viewer over time.
    float t = 1.0 - abs(mod(depth * bands - TIME * speed, 2.0) - 1.0);
    float u = (t * 255.0 + 0.5) / 256.0;
    float v = 1.0 - (float(palette) + 0.5) / PALETTE_COUNT;
    vec3 mapped = IMG_NORM_PIXEL(palettes, vec2(u, v)).rgb;
    float light = dot(colour.rgb, vec3(0.2126, 0.7152, 0.0722));
    mapped *= mix(1.0, 2.0 * light, shade);
    gl_FragColor = vec4(mix(colour.rgb, clamp(mapped, 0.0, 1.0), mixAmount), colour.a);
}
