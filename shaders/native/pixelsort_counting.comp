// Settled pixel sort, one invocation per line, by counting: a stable counting sort of the
// line by key (one pass of up to 1024 buckets per 10 bits of key: a single pass for every key
// but hue), then a stable scatter into each interval's own range. Linear in the line length;
// fastest where invocations are CPU threads (llvmpipe). Same result as pixelsort_settled.comp.

layout(local_size_x = 8) in;
layout(binding = 0) uniform sampler2D source;
layout(binding = 1) uniform usampler2D hueRanks;
layout(binding = 2) uniform sampler2D maskImage;
layout(rgba8, binding = 0) writeonly uniform image2D destination;
layout(std430, binding = 0) buffer Words { uint words[]; };
uniform int keyBits;  // bits the key can use: 9 lightness, 10 intensity, 8 minimum/saturation, 17 hue

void main() {
    int line = int(gl_GlobalInvocationID.x);
    if (line >= lineCount) return;
    int n = lineLength;
    // This line's scratch: two (word, position) arrays and the bucket counts.
    int wordsA = line * (4 * n + 1024);
    int posA = wordsA + n;
    int wordsB = posA + n;
    int posB = wordsB + n;
    int counts = posB + n;

    int start = 0;
    for (int pos = 0; pos < n; pos++) {
        if (isBoundary(source, maskImage, line, pos)) start = pos;
        uint key = sortKey(rgbAt(source, texelOf(line, pos)), hueRanks);
        if (leftUnsorted(line, start)) key = 0u;
        words[wordsA + pos] = (uint(start) << 19) | key;
        words[posA + pos] = uint(pos);
    }

    for (int shift = 0; shift < keyBits; shift += 10) {
        int bits = min(10, keyBits - shift);
        uint digitMask = (1u << uint(bits)) - 1u;
        int buckets = 1 << bits;
        for (int b = 0; b < buckets; b++) words[counts + b] = 0u;
        for (int i = 0; i < n; i++) {
            uint digit = (words[wordsA + i] >> uint(shift)) & digitMask;
            words[counts + int(digit)] += 1u;
        }
        uint total = 0u;
        for (int b = 0; b < buckets; b++) {
            uint c = words[counts + b];
            words[counts + b] = total;
            total += c;
        }
        for (int i = 0; i < n; i++) {
            uint word = words[wordsA + i];
            uint digit = (word >> uint(shift)) & digitMask;
            int to = int(words[counts + int(digit)]);
            words[counts + int(digit)] = uint(to + 1);
            words[wordsB + to] = word;
            words[posB + to] = words[posA + i];
        }
        int swap = wordsA; wordsA = wordsB; wordsB = swap;
        swap = posA; posA = posB; posB = swap;
    }

    // Sorted by key, stably; now each pixel goes to the next free place of its own interval.
    int cursor = wordsB;
    int order = posB;
    for (int pos = 0; pos < n; pos++) words[cursor + pos] = uint(pos);
    for (int i = 0; i < n; i++) {
        int s = int(words[wordsA + i] >> 19);
        int to = int(words[cursor + s]);
        words[cursor + s] = uint(to + 1);
        words[order + to] = words[posA + i];
    }
    for (int pos = 0; pos < n; pos++) {
        int from = int(words[order + pos]);
        imageStore(destination, texelOf(line, pos), texelFetch(source, texelOf(line, from), 0));
    }
}
