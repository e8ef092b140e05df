// The in-place updates of training, one value per invocation, with the mode
// codes of gl_update.cpp: the Adam/AdamW, SGD and RMSprop steps, clamping and
// the moving average. Each formula is the CPU's (backend/cpu/cpu_update.cpp),
// in its order of operations; clamp is written with comparisons where the
// CPU's std::min / std::max decide that a NaN stays NaN.
#version 430

layout(local_size_x = 256) in;

layout(std430, binding = 0) buffer BufW { float w[]; };
layout(std430, binding = 1) readonly buffer BufG { float g[]; };
layout(std430, binding = 2) buffer BufM { float m[]; };  // Adam's m, SGD's momentum, RMSprop's v
layout(std430, binding = 3) buffer BufV { float v[]; };  // Adam's v

uniform int mode;
uniform uint n;
// Adam: p0 step_size, p1 bc2_sqrt, p2 beta1, p3 beta2, p4 1-beta1, p5 1-beta2, p6 eps,
//       p7 weight_decay, p8 decay. SGD: p0 lr, p1 momentum, p2 weight_decay.
// RMSprop: p0 lr, p1 alpha, p2 1-alpha, p3 eps. Clamp: p0 lo, p1 hi. Lerp: p0 decay, p1 1-decay.
uniform float p0, p1, p2, p3, p4, p5, p6, p7, p8;
uniform int decoupled, nesterov, has_momentum, first_momentum_step;

const int ADAM = 0, SGD = 1, RMSPROP = 2, CLAMP = 3, LERP = 4;

void main() {
    const uint j = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * 256u +
                   gl_LocalInvocationID.x;
    if (j >= n) return;
    if (mode == ADAM) {
        float gj = g[j];
        if (p7 != 0.0) {
            if (decoupled != 0)
                w[j] *= p8;
            else
                gj += p7 * w[j];
        }
        const float mj = m[j] * p2 + gj * p4;
        const float vj = v[j] * p3 + p5 * (gj * gj);
        m[j] = mj;
        v[j] = vj;
        const float denom = sqrt(vj) / p1 + p6;
        w[j] += -p0 * (mj / denom);
    } else if (mode == SGD) {
        const float lr = p0, mom = p1, wd = p2;
        float d = wd != 0.0 ? g[j] + wd * w[j] : g[j];
        if (has_momentum != 0) {
            const float b = first_momentum_step != 0 ? d : mom * m[j] + d;
            m[j] = b;
            d = nesterov != 0 ? d + mom * b : b;
        }
        w[j] += -lr * d;
    } else if (mode == RMSPROP) {
        const float gj = g[j];
        const float vj = m[j] * p1 + p2 * (gj * gj);
        m[j] = vj;
        w[j] += -p0 * (gj / (sqrt(vj) + p3));
    } else if (mode == CLAMP) {
        const float x = w[j];
        if (isnan(x)) return;  // the driver may fold the comparisons below into min and max
        const float lo = x < p0 ? p0 : x;  // std::max(x, lo)
        w[j] = p1 < lo ? p1 : lo;          // std::min(.., hi)
    } else if (mode == LERP) {
        w[j] = p0 * w[j] + p1 * g[j];
    }
}
