/*{
    "DESCRIPTION": "Sampler: the selected area (x, y, width, height as fractions of the image, from its top-left corner) becomes the picture. Zoom fills the frame with it (nearest: whole pixels, to see them; smooth: bilinear); tile repeats it at 1:1 across the frame, anchored where it was (mirror: every other tile reflected).",
    "CREDIT": "shaderlab",
    "ISFVSN": "2",
    "CATEGORIES": ["Geometry Adjustment"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "x", "TYPE": "float", "DEFAULT": 0.25, "MIN": 0.0, "MAX": 1.0, "LABEL": "Left"},
        {"NAME": "y", "TYPE": "float", "DEFAULT": 0.25, "MIN": 0.0, "MAX": 1.0, "LABEL": "Top"},
        {"NAME": "width", "TYPE": "float", "DEFAULT": 0.5, "MIN": 0.0, "MAX": 1.0, "LABEL": "Width"},
        {"NAME": "height", "TYPE": "float", "DEFAULT": 0.5, "MIN": 0.0, "MAX": 1.0, "LABEL": "Height"},
        {"NAME": "mode", "TYPE": "long", "DEFAULT": 0, "VALUES": [0, 1], "LABELS": ["zoom", "tile"], "LABEL": "Mode"},
        {"NAME": "interpolation", "TYPE": "long", "DEFAULT": 0, "VALUES": [0, 1], "LABELS": ["nearest", "smooth"], "LABEL": "Zoom"},
        {"NAME": "mirror", "TYPE": "bool", "DEFAULT": false, "LABEL": "Mirror tiles"}
    ]
}*/

// Whole pixels in integers: the selection is snapped to the input's pixel grid, and nearest
// zoom maps output pixel o to input pixel origin + floor((o + 0.5) * extent / size) exactly.

vec4 texel(ivec2 fromTop, ivec2 imageSize) {
    // Texture rows run bottom-up; sample the texel's centre so filtering cannot blend it.
    vec2 centre = vec2(fromTop.x, imageSize.y - 1 - fromTop.y) + 0.5;
    return IMG_PIXEL(inputImage, centre);
}

void main() {
    ivec2 imageSize = ivec2(IMG_SIZE(inputImage));
    ivec2 size = ivec2(RENDERSIZE);
    ivec2 origin = clamp(ivec2(floor(vec2(x, y) * vec2(imageSize) + 0.5)), ivec2(0), imageSize - 1);
    ivec2 extent = clamp(ivec2(floor(vec2(width, height) * vec2(imageSize) + 0.5)), ivec2(1), imageSize - origin);
    ivec2 pixel = ivec2(int(gl_FragCoord.x), size.y - 1 - int(gl_FragCoord.y));

    if (mode == 0 && interpolation == 1) {
        vec2 fromTop = (vec2(origin) + (vec2(pixel) + 0.5) * vec2(extent) / vec2(size)) / vec2(imageSize);
        gl_FragColor = IMG_NORM_PIXEL(inputImage, vec2(fromTop.x, 1.0 - fromTop.y));
        return;
    }
    if (mode == 0) {
        gl_FragColor = texel(origin + ((2 * pixel + 1) * extent) / (2 * size), imageSize);
        return;
    }
    // Tiles anchored at the selection. Shift by whole periods so every operand is
    // non-negative: GLSL leaves integer division of negative numbers undefined.
    ivec2 shift = origin / extent + 1;
    ivec2 shifted = pixel - origin + shift * extent;
    ivec2 tile = shifted / extent;
    ivec2 within = shifted - tile * extent;
    if (mirror) {
        ivec2 parity = (tile + shift) - 2 * ((tile + shift) / 2);  // parity of tile - shift
        if (parity.x == 1) within.x = extent.x - 1 - within.x;
        if (parity.y == 1) within.y = extent.y - 1 - within.y;
    }
    gl_FragColor = texel(origin + within, imageSize);
}
