/*{
    "DESCRIPTION": "Audio inputs: the waveform and the spectrum, and how many samples they hold.",
    "ISFVSN": "2",
    "INPUTS": [
        {"NAME": "wave", "TYPE": "audio"},
        {"NAME": "spectrum", "TYPE": "audioFFT"}
    ]
}*/
void main() {
    float t = isf_FragNormCoord.x;
    gl_FragColor = vec4(IMG_NORM_PIXEL(wave, vec2(t, 0.5)).r, IMG_NORM_PIXEL(spectrum, vec2(t, 0.5)).r,
                        IMG_SIZE(wave).x / 1024.0, 1.0);
}
