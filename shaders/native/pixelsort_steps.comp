// Up to HALO odd-even transposition steps of the animated sort in one dispatch.
//
// Each invocation takes a CHUNK of one line plus up to HALO pixels either side into its own arrays,
// runs the steps there, one after another, and writes back its CHUNK. A pixel moves at most
// one place a step, so after HALO steps the CHUNK is exact although the halo's outer ends are
// not. No shared memory and no barriers: on CPU rasterizers (llvmpipe) those cost more than
// the sort. Neighbours swap when both are in the same interval and the lower has the strictly
// greater key; strict, so equal keys never pass each other: run to convergence it is the
// stable sort, the settled result.

#define CHUNK 64
#define HALO 16
#define SPAN (CHUNK + 2 * HALO)

layout(local_size_x = 8, local_size_y = 8) in;
layout(binding = 0) uniform sampler2D state;
layout(binding = 1) uniform usampler2D hueRanks;
layout(binding = 3) uniform usampler2D starts;
layout(rgba8, binding = 0) writeonly uniform image2D next;
layout(std430, binding = 1) buffer Swaps { uint swaps; };  // invocations that swapped
uniform int parity;     // of the first step
uniform int stepCount;  // 1..HALO

void main() {
    int line = int(gl_GlobalInvocationID.y);
    // Only as much halo as this dispatch's steps need, kept even: local parity = global parity.
    int halo = (stepCount + 1) & ~1;
    int span = CHUNK + 2 * halo;
    int first = int(gl_GlobalInvocationID.x) * CHUNK - halo;
    if (line >= lineCount || first + halo >= lineLength) return;
    uint colours[SPAN];
    uint keys[SPAN];
    bool joined[SPAN];  // joined[i]: pixel i is in the same (sortable) interval as pixel i - 1
    for (int i = 0; i < span; i++) {
        int pos = first + i;
        joined[i] = false;
        if (pos >= 0 && pos < lineLength) {
            vec4 colour = texelFetch(state, texelOf(line, pos), 0);
            colours[i] = packUnorm4x8(colour);
            keys[i] = sortKey(uvec3(round(colour.rgb * 255.0)), hueRanks);
            int start = int(texelFetch(starts, ivec2(pos, line), 0).r);
            joined[i] = start != pos && !leftUnsorted(line, start);
        }
    }
    bool swapped = false;
    for (int s = 0; s < stepCount; s++) {
        for (int i = (parity + s) & 1; i + 1 < span; i += 2) {
            if (joined[i + 1] && keys[i] > keys[i + 1]) {
                uint c = colours[i]; colours[i] = colours[i + 1]; colours[i + 1] = c;
                uint k = keys[i]; keys[i] = keys[i + 1]; keys[i + 1] = k;
                swapped = true;
            }
        }
    }
    for (int i = halo; i < halo + CHUNK; i++) {
        int pos = first + i;
        if (pos < lineLength) imageStore(next, texelOf(line, pos), unpackUnorm4x8(colours[i]));
    }
    if (swapped) atomicAdd(swaps, 1u);
}
