// One random network per draw: the uniform block holds its weights (see networks/weights.py);
// the draw's viewport is one tile of the grid. MAX_WIDTH = 16 units = 4 blocks of 4.

layout(std140) uniform Network {
    mat4 inputWeights[4];     // block i: units 4i..4i+3 from (x, y, radius, time)
    vec4 inputBias[4];
    mat4 hiddenWeights[96];   // layer l, output block i, input block j: (l * 4 + i) * 4 + j
    vec4 hiddenBias[24];
    mat4 outputWeights[4];    // (r, g, b, -) from input block j
    vec4 outputBias;
    ivec4 activations[2];     // per hidden layer; activations[1].w is the depth
};

uniform vec4 tileRect;  // left, bottom, width, height in pixels (GL: y up)
uniform float scale;
uniform bool useRadius;
uniform float timeInput;

out vec4 colour;

vec4 activate(vec4 v, int kind) {
    if (kind == 0) return tanh(v);
    if (kind == 1) return sin(v);
    if (kind == 2) return 1.0 / (1.0 + exp(-v));
    if (kind == 3) return exp(-v * v);
    return max(v, 0.0);
}

int activation(int layer) { return layer < 4 ? activations[0][layer] : activations[1][layer - 4]; }

void main() {
    // Tile coordinates: the shorter side spans -scale..scale, y up, centre at 0.
    vec2 fromCentre = gl_FragCoord.xy - (tileRect.xy + tileRect.zw * 0.5);
    vec2 xy = fromCentre / (0.5 * min(tileRect.z, tileRect.w)) * scale;
    vec4 inputs = vec4(xy, useRadius ? length(xy) : 0.0, timeInput);
    int depth = activations[1].w;

    vec4 h[4];
    for (int i = 0; i < 4; i++) h[i] = activate(inputWeights[i] * inputs + inputBias[i], activation(0));
    for (int l = 0; l < depth - 1; l++) {
        vec4 next[4];
        for (int i = 0; i < 4; i++) {
            vec4 sum = hiddenBias[l * 4 + i];
            for (int j = 0; j < 4; j++) sum += hiddenWeights[(l * 4 + i) * 4 + j] * h[j];
            next[i] = activate(sum, activation(l + 1));
        }
        for (int i = 0; i < 4; i++) h[i] = next[i];
    }
    vec4 out_ = outputBias;
    for (int j = 0; j < 4; j++) out_ += outputWeights[j] * h[j];
    colour = vec4(1.0 / (1.0 + exp(-out_.rgb)), 1.0);
}
