// Separable resizing of planes (in_h, in_w) <-> (out_h, out_w) through tap
// tables the host computed with the CPU's rules (core/backend/gl/gl_spatial.cpp):
// output row i reads input rows idx_h[i*kh + a] with weights wt_h[i*kh + a], columns
// likewise. One invocation per element written, so no two write the same place:
//   forward:  y (planes, out_h, out_w) = the taps applied to x, summed as the CPU sums.
//   backward: gx (planes, in_h, in_w) = the adjoint applied to gy, gathered: input row
//             h lists the taps that read it (ent_h[start_h[h] .. start_h[h+1]), each a
//             flat tap o*kh + a), so each input cell sums the outputs that read it.
#version 430

layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer BufIn { float x[]; };
layout(std430, binding = 1) writeonly buffer BufOut { float y[]; };
layout(std430, binding = 2) readonly buffer BufTable { int table[]; };
layout(std430, binding = 3) readonly buffer BufWeights { float wt[]; };

uniform bool backward;
uniform uint planes, in_h, in_w, out_h, out_w, kh, kw;
// Offsets into table: idx_h, idx_w, start_h, ent_h, start_w, ent_w; into wt: wt_h, wt_w.
uniform uint idx_h, idx_w, start_h, ent_h, start_w, ent_w, wt_h, wt_w;

void main() {
    const uint index = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * 256u +
                       gl_LocalInvocationID.x;
    if (!backward) {
        if (index >= planes * out_h * out_w) return;
        const uint j = index % out_w, i = (index / out_w) % out_h, p = index / (out_w * out_h);
        const uint plane = p * in_h * in_w;
        float acc = 0.0;
        for (uint a = 0u; a < kh; ++a) {
            const uint row = plane + uint(table[idx_h + i * kh + a]) * in_w;
            float inner = 0.0;
            for (uint b = 0u; b < kw; ++b)
                inner += x[row + uint(table[idx_w + j * kw + b])] * wt[wt_w + j * kw + b];
            acc += inner * wt[wt_h + i * kh + a];
        }
        y[index] = acc;
        return;
    }
    if (index >= planes * in_h * in_w) return;
    const uint w = index % in_w, h = (index / in_w) % in_h, p = index / (in_w * in_h);
    const uint plane = p * out_h * out_w;
    const int b0 = table[start_w + w], b1 = table[start_w + w + 1u];
    float acc = 0.0;
    for (int ea = table[start_h + h]; ea < table[start_h + h + 1u]; ++ea) {
        const uint ta = uint(table[ent_h + uint(ea)]);
        const uint row = plane + (ta / kh) * out_w;
        const float wa = wt[wt_h + ta];
        for (int eb = b0; eb < b1; ++eb) {
            const uint tb = uint(table[ent_w + uint(eb)]);
            acc += (x[row + tb / kw] * wa) * wt[wt_w + tb];
        }
    }
    y[index] = acc;
}
