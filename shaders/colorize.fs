/*{
    "DESCRIPTION": "Maps brightness (Rec. 709 luma) through a gradient palette; repeat makes bands, offset travels along them.",
    "CREDIT": "shaderlab",
    "ISFVSN": "2",
    "CATEGORIES": ["Color"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "palette", "TYPE": "long", "DEFAULT": 0,
         "VALUES": [0, 1, 2, 3, 4, 5, 6, 7],
         "LABELS": ["fire", "ocean", "viridis", "neon", "sunset", "thermal", "acid", "grey"],
         "LABEL": "Palette"},
        {"NAME": "repeat", "TYPE": "float", "DEFAULT": 1.0, "MIN": 1.0, "MAX": 16.0, "LABEL": "Repeat"},
        {"NAME": "offset", "TYPE": "float", "DEFAULT": 0.0, "MIN": 0.0, "MAX": 2.0, "LABEL": "Offset"},
        {"NAME": "mixAmount", "TYPE": "float", "DEFAULT": 1.0, "MIN": 0.0, "MAX": 1.0, "LABEL": "Mix"}
    ],
    "IMPORTED": {
        "palettes": {"PATH": "../assets/palettes.png"}
    }
}*/

const float PALETTE_COUNT = 8.0;

void main() {
    vec4 colour = IMG_THIS_PIXEL(inputImage);
    float luma = dot(colour.rgb, vec3(0.2126, 0.7152, 0.0722));
    // A triangle wave rather than fract(): bands fold back instead of jumping at the seams,
    // and with repeat 1 and offset 0 it is the identity on 0..1.
    float t = 1.0 - abs(mod(luma * repeat + offset, 2.0) - 1.0);
    // Entry centres span the texture so that t = 0 and t = 1 hit the first and last entries.
    float u = (t * 255.0 + 0.5) / 256.0;
    // Row 0 of palettes.png (the first palette) is at the top, i.e. the highest v.
    float v = 1.0 - (float(palette) + 0.5) / PALETTE_COUNT;
    vec3 mapped = IMG_NORM_PIXEL(palettes, vec2(u, v)).rgb;
    gl_FragColor = vec4(mix(colour.rgb, mapped, mixAmount), colour.a);
}
