/*{
    "DESCRIPTION": "Every value input type, written into the output so that a test can read them back.",
    "ISFVSN": "2",
    "INPUTS": [
        {"NAME": "level", "TYPE": "float", "DEFAULT": "0.25", "MIN": "0", "MAX": "1"},
        {"NAME": "count", "TYPE": "long", "DEFAULT": 2, "VALUES": [0, 1, 2, 3], "LABELS": ["a", "b", "c", "d"]},
        {"NAME": "flag", "TYPE": "bool", "DEFAULT": true},
        {"NAME": "bang", "TYPE": "event"},
        {"NAME": "where", "TYPE": "point2D", "DEFAULT": [0.5, 0.75], "MIN": [0, 0], "MAX": [1, 1]},
        {"NAME": "tint", "TYPE": "color", "DEFAULT": [0.1, 0.2, 0.3, 1.0]},
    ]
}*/
void main() {
    // Each quarter of the frame, left to right, shows one group of values.
    float x = isf_FragNormCoord.x;
    if (x < 0.25) gl_FragColor = vec4(level, float(count) / 4.0, flag ? 1.0 : 0.0, 1.0);
    else if (x < 0.5) gl_FragColor = vec4(bang ? 1.0 : 0.0, where, 1.0);
    else if (x < 0.75) gl_FragColor = tint;
    else gl_FragColor = vec4(TIME, TIMEDELTA * 10.0, float(FRAMEINDEX) / 10.0, DATE.x > 2000.0 ? 1.0 : 0.0);
}
