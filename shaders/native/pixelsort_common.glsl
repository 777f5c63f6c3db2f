// Shared by the pixel sort compute programs: line addressing, exact integer keys, boundaries.
// Keys and hashes are the integers of shaderlab/sort/keys.py and shaderlab/sort/cpu.py.

uniform ivec2 imageSize_;     // width, height of the image being sorted
uniform int direction;        // 0 right, 1 left, 2 up, 3 down
uniform int lineLength;
uniform int lineCount;
uniform int keyKind;          // 0 lightness, 1 hue, 2 saturation, 3 intensity, 4 minimum
uniform int intervalKind;     // 0 threshold, 1 none, 2 edges, 3 random, 4 waves, 5 mask, 6 depth
uniform float lowerDepth;     // depth intervals: sortable where lowerDepth <= depth <= upperDepth
uniform float upperDepth;
uniform int lowSum;           // inside the thresholds: lowSum <= max+min <= highSum
uniform int highSum;
uniform bool reverseKey;
uniform uint keyMax;           // reverse flips a key within its range: keyMax - key
uniform uint seed;
uniform uint randomThreshold; // random intervals: a boundary where hash < this
uniform int wavePeriod;
uniform uint randomnessCut;   // intervals left unsorted: hash % 10000 < this

const uint SALT_INTERVAL = 0x68E31DA4u;
const uint SALT_RANDOMNESS = 0x1B56C4E9u;

// Texel (GL, y up) of position `pos` on line `line`; position 0 is where the lowest key goes.
ivec2 texelOf(int line, int pos) {
    int w = imageSize_.x;
    int h = imageSize_.y;
    if (direction == 0) return ivec2(pos, h - 1 - line);
    if (direction == 1) return ivec2(w - 1 - pos, h - 1 - line);
    if (direction == 2) return ivec2(line, pos);
    return ivec2(line, h - 1 - pos);
}

uvec3 rgbAt(sampler2D image, ivec2 texel) {
    return uvec3(round(texelFetch(image, texel, 0).rgb * 255.0));
}

uint hash32(uint x) {  // lowbias32
    x ^= x >> 16; x *= 0x7FEB352Du;
    x ^= x >> 15; x *= 0x846CA68Bu;
    x ^= x >> 16;
    return x;
}

uint hash3(uint salt, int line, int pos) {
    uint h = hash32((seed ^ salt) ^ hash32(uint(line)));
    return hash32(h ^ uint(pos));
}

uint sortKey(uvec3 c, usampler2D hueRanks) {
    uint maxc = max(c.r, max(c.g, c.b));
    uint minc = min(c.r, min(c.g, c.b));
    uint span = maxc - minc;
    uint key;
    if (keyKind == 0) key = maxc + minc;
    else if (keyKind == 3) key = c.r + c.g + c.b;
    else if (keyKind == 4) key = minc;
    else if (keyKind == 2) key = span >= 3u ? span - 3u : (span == 1u ? 254u : 253u);
    else {
        int channel = c.r == maxc ? 0 : (c.g == maxc ? 1 : 2);
        uint first = channel == 0 ? c.g : c.r;
        uint second = channel == 2 ? c.g : c.b;
        int firstIsMin = first == minc ? 0 : 1;
        uint other = firstIsMin == 0 ? second : first;
        int column = channel * 512 + firstIsMin * 256 + int(maxc - other);
        key = texelFetch(hueRanks, ivec2(column, int(span)), 0).r;
    }
    return reverseKey ? keyMax - key : key;
}

// Pillow's FIND_EDGES at a texel, as max+min of the clipped RGB (border pixels unfiltered).
uint edgeStrength(sampler2D image, ivec2 t) {
    uvec3 centre = rgbAt(image, t);
    ivec3 e = ivec3(centre);
    if (t.x > 0 && t.y > 0 && t.x < imageSize_.x - 1 && t.y < imageSize_.y - 1) {
        ivec3 sum = ivec3(0);
        for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++)
                sum += ivec3(rgbAt(image, t + ivec2(dx, dy)));
        e = clamp(9 * ivec3(centre) - sum, 0, 255);
    }
    return uint(max(e.r, max(e.g, e.b)) + min(e.r, min(e.g, e.b)));
}

// The mask unit holds a mask image (white = sortable) or, for depth intervals, the depth map.
bool sortable(sampler2D mask, int line, int pos) {
    float value = texelFetch(mask, texelOf(line, pos), 0).r;
    return intervalKind == 6 ? value >= lowerDepth && value <= upperDepth : value >= 0.5;
}

// Does this position start a new interval? (It is sorted with the interval it starts.)
bool isBoundary(sampler2D image, sampler2D mask, int line, int pos) {
    if (intervalKind == 0) {
        uvec3 c = rgbAt(image, texelOf(line, pos));
        int level = int(max(c.r, max(c.g, c.b)) + min(c.r, min(c.g, c.b)));
        return level < lowSum || level > highSum;
    }
    if (intervalKind == 1) return false;
    if (intervalKind == 2) {
        bool strong = edgeStrength(image, texelOf(line, pos)) >= uint(lowSum);
        bool before = pos > 0 && edgeStrength(image, texelOf(line, pos - 1)) >= uint(lowSum);
        return strong && !before;
    }
    if (intervalKind == 3) return hash3(SALT_INTERVAL, line, pos) < randomThreshold;
    if (intervalKind == 4) {
        int phase = int(hash3(SALT_INTERVAL, line, 0) % uint(wavePeriod));
        return (pos + phase) % wavePeriod == 0;
    }
    return !sortable(mask, line, pos) || (pos > 0 && !sortable(mask, line, pos - 1));
}

bool leftUnsorted(int line, int start) {
    return randomnessCut > 0u && hash3(SALT_RANDOMNESS, line, start) % 10000u < randomnessCut;
}
