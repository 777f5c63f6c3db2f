/*{
    "DESCRIPTION": "Unsharp mask: adds `amount` times the difference between the image and its Gaussian blur (sigma = radius / 2).",
    "CREDIT": "shaderlab",
    "ISFVSN": "2",
    "CATEGORIES": ["Sharpen"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "amount", "TYPE": "float", "DEFAULT": 1.0, "MIN": 0.0, "MAX": 8.0, "LABEL": "Amount"},
        {"NAME": "radius", "TYPE": "float", "DEFAULT": 2.0, "MIN": 0.0, "MAX": 32.0, "LABEL": "Radius (px)"}
    ],
    "PASSES": [
        {"TARGET": "horizontalPass", "FLOAT": true},
        {}
    ]
}*/

// The same paired-tap Gaussian as blur.fs, kept here so the file runs in any ISF host.
vec4 gaussian(sampler2D image, vec2 texelStep) {
    float sigma = max(radius * 0.5, 1e-3);
    int taps = int(ceil(radius));
    vec2 uv = isf_FragNormCoord;
    vec4 sum = IMG_NORM_PIXEL(image, uv);
    float total = 1.0;
    // Weights g^(i*i) with g = exp(-1 / (2 sigma^2)), stepped by multiplication: one exp() a pixel.
    float g = exp(-0.5 / (sigma * sigma));
    float weight = g;             // tap 1
    float ratio = g * g * g;      // weight(i + 1) / weight(i), for i = 1
    for (int i = 1; i <= taps; i += 2) {
        float w0 = weight;
        weight *= ratio;
        ratio *= g * g;
        float w1 = i + 1 <= taps ? weight : 0.0;
        weight *= ratio;
        ratio *= g * g;
        float w = w0 + w1;
        if (w < 1e-20) break;     // the rest of the tail adds nothing
        vec2 offset = texelStep * ((float(i) * w0 + float(i + 1) * w1) / w);
        sum += (IMG_NORM_PIXEL(image, uv + offset) + IMG_NORM_PIXEL(image, uv - offset)) * w;
        total += 2.0 * w;
    }
    return sum / total;
}

void main() {
    if (PASSINDEX == 0) {
        gl_FragColor = gaussian(inputImage, vec2(1.0 / RENDERSIZE.x, 0.0));
    } else {
        vec4 original = IMG_THIS_PIXEL(inputImage);
        vec4 blurred = gaussian(horizontalPass, vec2(0.0, 1.0 / RENDERSIZE.y));
        vec3 sharp = original.rgb + amount * (original.rgb - blurred.rgb);
        gl_FragColor = vec4(clamp(sharp, 0.0, 1.0), original.a);
    }
}
