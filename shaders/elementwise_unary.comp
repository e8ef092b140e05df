// y[i] = op(x[i]; p0, p1) for i < n: the unary maths of UnaryOp, with the op
// codes of gl_elementwise.cpp. Each formula is the CPU's
// (backend/cpu/cpu_elementwise.cpp), written with comparisons where the CPU's
// std::min / std::max decide what a NaN gives, since GLSL's min and max leave
// that undefined.
#version 430

layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer BufX { float x[]; };
layout(std430, binding = 1) writeonly buffer BufY { float y[]; };

uniform int op;
uniform float p0, p1;
uniform uint n;

const int ADD_SCALAR = 0, MUL_SCALAR = 1, POW = 2, SQRT = 3, EXP = 4, LOG = 5, ABS = 6,
          SIGN = 7, CLAMP = 8, CLAMP_MASK = 9, GELU_CURVATURE = 10;

const float kRsqrt2Pi = 0.3989422804014327;

float inf() { return uintBitsToFloat(0x7f800000u); }
float nan() { return uintBitsToFloat(0x7fc00000u); }

// std::pow(v, p) for p != 2 (the caller squares): GLSL's pow is undefined for
// a negative base and for a zero base with p <= 0, where C defines it.
float c_pow(float v, float p) {
    if (p == 0.0 || v == 1.0) return 1.0;
    if (isnan(v)) return v;
    const bool integer = floor(p) == p;
    const bool odd = integer && mod(p, 2.0) == 1.0;
    const bool negative = (floatBitsToUint(v) & 0x80000000u) != 0u;
    const float a = abs(v);
    float r;
    if (a == 0.0)
        r = p > 0.0 ? 0.0 : inf();
    else if (isinf(a))
        r = p > 0.0 ? inf() : 0.0;
    else
        r = exp2(p * log2(a));
    if (negative && a != 0.0 && !isinf(a) && !integer) return nan();
    return negative && odd ? -r : r;
}

void main() {
    const uint i = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * 256u +
                   gl_LocalInvocationID.x;
    if (i >= n) return;
    const float v = x[i];
    float r;
    switch (op) {
        case ADD_SCALAR: r = v + p0; break;
        case MUL_SCALAR: r = v * p0; break;
        case POW: r = p0 == 2.0 ? v * v : c_pow(v, p0); break;
        case SQRT: r = sqrt(v); break;
        case EXP: r = exp(v); break;
        case LOG: r = log(v); break;
        case ABS: r = abs(v); break;
        case SIGN: r = float(v > 0.0) - float(v < 0.0); break;
        case CLAMP: {
            if (isnan(v)) {  // the driver may fold the comparisons below into min and max
                r = v;
                break;
            }
            const float lo = v < p0 ? p0 : v;  // std::max(v, p0): NaN stays NaN
            r = p1 < lo ? p1 : lo;              // std::min(lo, p1)
            break;
        }
        case CLAMP_MASK: r = v >= p0 && v <= p1 ? 1.0 : 0.0; break;
        case GELU_CURVATURE: r = kRsqrt2Pi * exp(-0.5 * v * v) * (2.0 - v * v); break;
        default: r = nan(); break;
    }
    y[i] = r;
}
