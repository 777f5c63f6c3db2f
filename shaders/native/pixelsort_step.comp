// One odd-even transposition step of the animated sort: neighbours in the same interval swap
// when the lower position has the strictly greater key. Strict, so equal keys never pass each
// other: run to convergence it is the stable sort, the settled result.

layout(local_size_x = 16, local_size_y = 16) in;
layout(binding = 0) uniform sampler2D state;
layout(binding = 1) uniform usampler2D hueRanks;
layout(binding = 3) uniform usampler2D starts;
layout(rgba8, binding = 0) writeonly uniform image2D next;
uniform int parity;

void main() {
    int pos = int(gl_GlobalInvocationID.x);
    int line = int(gl_GlobalInvocationID.y);
    if (pos >= lineLength || line >= lineCount) return;
    int partner = (pos & 1) == parity ? pos + 1 : pos - 1;
    vec4 colour = texelFetch(state, texelOf(line, pos), 0);
    int start = int(texelFetch(starts, ivec2(pos, line), 0).r);
    if (partner >= 0 && partner < lineLength
        && int(texelFetch(starts, ivec2(partner, line), 0).r) == start
        && !leftUnsorted(line, start)) {
        vec4 other = texelFetch(state, texelOf(line, partner), 0);
        uint mine = sortKey(uvec3(round(colour.rgb * 255.0)), hueRanks);
        uint theirs = sortKey(uvec3(round(other.rgb * 255.0)), hueRanks);
        bool swap = partner > pos ? mine > theirs : theirs > mine;
        if (swap) colour = other;
    }
    imageStore(next, texelOf(line, pos), colour);
}
