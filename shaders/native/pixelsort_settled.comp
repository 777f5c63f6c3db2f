// Settled pixel sort: one work-group per line. Interval starts by a work-group max-scan, then
// a bitonic sort of (interval start, key, position) in a storage buffer, then a gather.
// The position in the sort word makes the order total, so the result is that of a stable sort.
// SEGMENTS_ONLY builds just the interval starts (for the animated sort). SHARED_ITEMS sorts
// in shared memory (lines up to SHARED_ITEMS long), which GPUs do far faster.

layout(local_size_x = 256) in;
layout(binding = 0) uniform sampler2D source;
layout(binding = 1) uniform usampler2D hueRanks;
layout(binding = 2) uniform sampler2D maskImage;
#ifdef SEGMENTS_ONLY
layout(r32ui, binding = 0) writeonly uniform uimage2D starts;
#else
layout(rgba8, binding = 0) writeonly uniform image2D destination;
#endif
layout(std430, binding = 0) buffer Items { uvec2 items[]; };
uniform int padded;  // a power of two >= lineLength

#ifdef SHARED_ITEMS
shared uvec2 lineItems[SHARED_ITEMS];
#define ITEM(i) lineItems[i]
#define ITEMS_BARRIER() memoryBarrierShared(); barrier()
#else
#define ITEM(i) items[base + (i)]
#define ITEMS_BARRIER() memoryBarrierBuffer(); barrier()
#endif

shared int chunkLast[256];

void main() {
    int line = int(gl_WorkGroupID.x);
    int t = int(gl_LocalInvocationID.x);
    int base = line * padded;
    int chunk = (lineLength + 255) / 256;
    int begin = t * chunk;
    int end = min(begin + chunk, lineLength);

    // 1. Keys, and the last boundary seen so far within this invocation's chunk.
    int last = -1;
    for (int pos = begin; pos < end; pos++) {
        uint key = sortKey(rgbAt(source, texelOf(line, pos)), hueRanks);
        if (isBoundary(source, maskImage, line, pos)) last = pos;
        ITEM(pos) = uvec2(key, uint(last + 1));
    }
    chunkLast[t] = last;
    barrier();

    // 2. Inclusive max-scan of the chunks' last boundaries.
    for (int offset = 1; offset < 256; offset <<= 1) {
        int value = chunkLast[t];
        if (t >= offset) value = max(value, chunkLast[t - offset]);
        barrier();
        chunkLast[t] = value;
        barrier();
    }
    int before = t > 0 ? max(chunkLast[t - 1], 0) : 0;

    // 3. Sort words: interval start, then key, then position.
    for (int pos = begin; pos < end; pos++) {
        uvec2 item = ITEM(pos);
        int start = item.y > 0u ? int(item.y) - 1 : before;
#ifdef SEGMENTS_ONLY
        imageStore(starts, ivec2(pos, line), uvec4(uint(start)));
#else
        uint key = leftUnsorted(line, start) ? 0u : item.x;
        ITEM(pos) = uvec2((uint(start) << 19) | key, uint(pos));
#endif
    }
#ifndef SEGMENTS_ONLY
    for (int pos = lineLength + t; pos < padded; pos += 256) {
        ITEM(pos) = uvec2(0xFFFFFFFFu, uint(pos));
    }
    ITEMS_BARRIER();

    // 4. Bitonic sort of the padded line.
    for (int k = 2; k <= padded; k <<= 1) {
        for (int j = k >> 1; j > 0; j >>= 1) {
            for (int p = t; p < padded / 2; p += 256) {
                int i = ((p & ~(j - 1)) << 1) | (p & (j - 1));
                int partner = i + j;
                uvec2 a = ITEM(i);
                uvec2 b = ITEM(partner);
                bool greater = a.x > b.x || (a.x == b.x && a.y > b.y);
                if (greater == ((i & k) == 0)) {
                    ITEM(i) = b;
                    ITEM(partner) = a;
                }
            }
            ITEMS_BARRIER();
        }
    }

    // 5. Gather: position pos receives the pixel that sorted there.
    for (int pos = begin; pos < end; pos++) {
        int from = int(ITEM(pos).y);
        imageStore(destination, texelOf(line, pos), texelFetch(source, texelOf(line, from), 0));
    }
#endif
}
