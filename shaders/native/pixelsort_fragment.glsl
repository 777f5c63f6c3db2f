// The pixel sort as fragment passes, for contexts without compute shaders (OpenGL 3.3, macOS).
// Same maths as the compute programs; one STAGE is compiled per program. "Line space"
// textures are lineLength (or its power-of-two padding) wide and lineCount high.

#if defined(STAGE_GATHER) || defined(STAGE_STEP)
out vec4 colourOut;  // image-space stages
#else
out uvec4 lineOut;   // line-space stages
#endif

uniform sampler2D image;
uniform usampler2D hueRanks;
uniform sampler2D maskImage;
uniform usampler2D lineData;  // the previous line-space stage
uniform int stride;           // SCAN: distance looked back; BITONIC: j
uniform int block;            // BITONIC: k
uniform int parity;           // STEP

// The (line, position) an image texel belongs to: the inverse of texelOf.
ivec2 linePos(ivec2 t) {
    int w = imageSize_.x;
    int h = imageSize_.y;
    if (direction == 0) return ivec2(h - 1 - t.y, t.x);
    if (direction == 1) return ivec2(h - 1 - t.y, w - 1 - t.x);
    if (direction == 2) return ivec2(t.x, t.y);
    return ivec2(t.x, h - 1 - t.y);
}

void main() {
    ivec2 here = ivec2(gl_FragCoord.xy);
#if defined(STAGE_BOUNDARY)
    // r: this position if it starts an interval, else -1 (as uint), for the max-scan.
    int pos = here.x;
    int line = here.y;
    bool starts = pos < lineLength && isBoundary(image, maskImage, line, pos);
    lineOut = uvec4(uint(starts ? pos + 1 : 0), 0u, 0u, 0u);
#elif defined(STAGE_SCAN)
    // Hillis-Steele max-scan step: the last interval start at or before each position.
    uint value = texelFetch(lineData, here, 0).r;
    if (here.x >= stride) value = max(value, texelFetch(lineData, here - ivec2(stride, 0), 0).r);
    lineOut = uvec4(value, 0u, 0u, 0u);
#elif defined(STAGE_WORDS)
    int pos = here.x;
    int line = here.y;
    if (pos >= lineLength) {
        lineOut = uvec4(0xFFFFFFFFu, uint(pos), 0u, 0u);
    } else {
        int start = max(int(texelFetch(lineData, here, 0).r) - 1, 0);
        uint key = leftUnsorted(line, start) ? 0u : sortKey(rgbAt(image, texelOf(line, pos)), hueRanks);
        lineOut = uvec4((uint(start) << 19) | key, uint(pos), 0u, 0u);
    }
#elif defined(STAGE_BITONIC)
    int i = here.x;
    int partner = i ^ stride;
    uvec2 mine = texelFetch(lineData, here, 0).rg;
    uvec2 theirs = texelFetch(lineData, ivec2(partner, here.y), 0).rg;
    bool mineGreater = mine.x > theirs.x || (mine.x == theirs.x && mine.y > theirs.y);
    bool ascending = (i & block) == 0;
    bool lower = i < partner;
    // The lower place keeps the smaller word when ascending, the upper the larger.
    bool keepMine = (lower == ascending) ? !mineGreater : mineGreater;
    lineOut = uvec4(keepMine ? mine : theirs, 0u, 0u);
#elif defined(STAGE_GATHER)
    ivec2 lp = linePos(here);
    int from = int(texelFetch(lineData, ivec2(lp.y, lp.x), 0).g);
    colourOut = texelFetch(image, texelOf(lp.x, from), 0);
#elif defined(STAGE_STEP)
    // One odd-even step: lineData holds the interval starts (+1), image the canvas.
    ivec2 lp = linePos(here);
    int line = lp.x;
    int pos = lp.y;
    int partner = (pos & 1) == parity ? pos + 1 : pos - 1;
    vec4 colour = texelFetch(image, here, 0);
    if (partner >= 0 && partner < lineLength) {
        int upper = max(pos, partner);
        int start = max(int(texelFetch(lineData, ivec2(upper, line), 0).r) - 1, 0);
        if (start != upper && !leftUnsorted(line, start)) {
            vec4 other = texelFetch(image, texelOf(line, partner), 0);
            uint mine = sortKey(uvec3(round(colour.rgb * 255.0)), hueRanks);
            uint theirs = sortKey(uvec3(round(other.rgb * 255.0)), hueRanks);
            if (partner > pos ? mine > theirs : theirs > mine) colour = other;
        }
    }
    colourOut = colour;
#endif
}
