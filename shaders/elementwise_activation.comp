// The activations of ActivationOp, forward (y = f(x)) and backward (dx = g f'),
// with the activation codes of gl_elementwise.cpp. The backward reads its
// derivative from `saved`: x for relu, leaky_relu and gelu, y for tanh and
// sigmoid. tanh and erf are the rational approximations of Eigen 3.4 that the
// CPU kernels use, so both backends round alike; GLSL has no erf at all.
#version 430

layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer BufIn { float saved[]; };  // x forward
layout(std430, binding = 1) readonly buffer BufG { float g[]; };       // backward only
layout(std430, binding = 2) writeonly buffer BufOut { float result[]; };

uniform int f;  // 0 relu, 1 leaky_relu, 2 tanh, 3 sigmoid, 4 gelu
uniform bool backward;
uniform float slope;
uniform uint n;

const float kRsqrt2 = 0.70710678118654752, kRsqrt2Pi = 0.3989422804014327;

// Eigen's generic_fast_tanh_float: odd rational of degree 13/6 on [-7.9, 7.9].
float eigen_tanh(float v) {
    if (abs(v) < 0.0004) return v;
    const float t = clamp(v, -7.90531110763549805, 7.90531110763549805);
    const float t2 = t * t;
    float p = t2 * -2.76076847742355e-16 + 2.00018790482477e-13;
    p = t2 * p + -8.60467152213735e-11;
    p = t2 * p + 5.12229709037114e-08;
    p = t2 * p + 1.48572235717979e-05;
    p = t2 * p + 6.37261928875436e-04;
    p = t2 * p + 4.89352455891786e-03;
    p = t * p;
    float q = t2 * 1.19825839466702e-06 + 1.18534705686654e-04;
    q = t2 * q + 2.26843463243900e-03;
    q = t2 * q + 4.89352518554385e-03;
    return p / q;
}

// Eigen's generic_fast_erf_float: odd rational of degree 13/8 on [-4, 4].
float eigen_erf(float v) {
    const float t = clamp(v, -4.0, 4.0);
    const float t2 = t * t;
    float p = t2 * -2.72614225801306e-10 + 2.77068142495902e-08;
    p = t2 * p + -2.10102402082508e-06;
    p = t2 * p + -5.69250639462346e-05;
    p = t2 * p + -7.34990630326855e-04;
    p = t2 * p + -2.95459980854025e-03;
    p = t2 * p + -1.60960333262415e-02;
    p = t * p;
    float q = t2 * -1.45660718464996e-05 + -2.13374055278905e-04;
    q = t2 * q + -1.68282697438203e-03;
    q = t2 * q + -7.37332916720468e-03;
    q = t2 * q + -1.42647390514189e-02;
    return p / q;
}

float forward_value(float v) {
    // NaN stays NaN, as on the CPU; the driver may fold the comparisons below into
    // min and max, which drop it.
    if (isnan(v)) return v;
    switch (f) {
        case 0:  // relu: std::max(v, 0), so NaN stays NaN and -inf gives 0
            return v < 0.0 ? 0.0 : v;
        case 1:  // max(v, 0) + slope min(v, 0), the CPU's branch-free form
            return (v < 0.0 ? 0.0 : v) + slope * (0.0 < v ? 0.0 : v);
        case 2:
            return eigen_tanh(v);
        case 3:
            return 1.0 / (1.0 + exp(-v));
        default:
            return 0.5 * v * (1.0 + eigen_erf(v * kRsqrt2));
    }
}

// gi f'(.) with s the saved x or y.
float backward_value(float gi, float s) {
    switch (f) {
        case 0:  // a true 0 where x <= 0, even for an inf or NaN gradient
            return s > 0.0 ? gi : 0.0;
        case 1:
            return s > 0.0 ? gi : gi * slope;
        case 2:
            return gi * (1.0 - s * s);
        case 3:
            return gi * s * (1.0 - s);
        default:
            return gi * (0.5 * (1.0 + eigen_erf(s * kRsqrt2)) + s * kRsqrt2Pi * exp(-0.5 * s * s));
    }
}

void main() {
    const uint i = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * 256u +
                   gl_LocalInvocationID.x;
    if (i >= n) return;
    result[i] = backward ? backward_value(g[i], saved[i]) : forward_value(saved[i]);
}
