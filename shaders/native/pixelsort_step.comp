// One odd-even transposition step of the animated sort, one invocation per pair of
// neighbours (lower = 2q + parity, upper = lower + 1). They swap when both are in the same
// interval and the lower has the strictly greater key. Strict, so equal keys never pass each
// other: run to convergence it is the stable sort, the settled result.

layout(local_size_x = 64, local_size_y = 4) in;
layout(binding = 0) uniform sampler2D state;
layout(binding = 1) uniform usampler2D hueRanks;
layout(binding = 3) uniform usampler2D starts;
layout(rgba8, binding = 0) writeonly uniform image2D next;
layout(std430, binding = 1) buffer Swaps { uint swapGroups; };  // work-groups that swapped
uniform int parity;

shared bool swappedHere;

void main() {
    if (gl_LocalInvocationIndex == 0u) swappedHere = false;
    barrier();
    int lower = 2 * int(gl_GlobalInvocationID.x) + parity;
    int line = int(gl_GlobalInvocationID.y);
    if (line < lineCount) {
        if (parity == 1 && lower == 1) {  // position 0 has no partner on odd steps
            imageStore(next, texelOf(line, 0), texelFetch(state, texelOf(line, 0), 0));
        }
        if (lower < lineLength) {
            ivec2 lowTexel = texelOf(line, lower);
            vec4 low = texelFetch(state, lowTexel, 0);
            int upper = lower + 1;
            if (upper < lineLength) {
                ivec2 highTexel = texelOf(line, upper);
                vec4 high = texelFetch(state, highTexel, 0);
                // The upper pixel starts its own interval exactly when its start is itself.
                int start = int(texelFetch(starts, ivec2(upper, line), 0).r);
                if (start != upper && !leftUnsorted(line, start)
                    && sortKey(uvec3(round(low.rgb * 255.0)), hueRanks)
                       > sortKey(uvec3(round(high.rgb * 255.0)), hueRanks)) {
                    vec4 swap = low; low = high; high = swap;
                    swappedHere = true;
                }
                imageStore(next, highTexel, high);
            }
            imageStore(next, lowTexel, low);
        }
    }
    barrier();
    if (gl_LocalInvocationIndex == 0u && swappedHere) atomicAdd(swapGroups, 1u);
}
