/*{
    "DESCRIPTION": "ISF v1 and the GLSL of old files: PERSISTENT_BUFFERS, vv_FragNormCoord, texture2D, a #version line, inputs named like GLSL keywords, a helper named like a later built-in, literal initializers of the wrong type.",
    "CREDIT": "shaderlab tests",
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "smooth", "TYPE": "float", "DEFAULT": 0.5, "MIN": 0.0, "MAX": 1.0},
        {"NAME": "sample", "TYPE": "bool", "DEFAULT": true},
        {"NAME": "input", "TYPE": "float", "DEFAULT": 0.25}
    ],
    "PERSISTENT_BUFFERS": ["memory"],
    "PASSES": [{"TARGET": "memory"}, {}]
}*/
#version 120

float round(float x) { return floor(x + 0.5); }

void main() {
    vec3 gain = 1.0;  // a scalar for a vector, and a float for an int: drivers forgive both
    int passes = 2.0;
    vec4 colour = texture2D(inputImage, vv_FragNormCoord) * vec4(gain, 1.0) * float(passes / 2);
    if (PASSINDEX == 0) {
        gl_FragColor = vec4(colour.rgb * smooth, 1.0);
    } else {
        vec4 remembered = texture2D(memory, vv_FragNormCoord);
        gl_FragColor = vec4(remembered.r, sample ? input : 0.0, round(0.6), 1.0);
    }
}
