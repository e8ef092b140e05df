// The GPU backend's reduce kernels (shaders/reduce_*.comp): a workgroup per
// output of a reduction (a sum, a softmax line, an argmax line, a
// cross-entropy row) with a tree in shared memory, one invocation per value
// for the rest. int64 tensors (targets, indices) are read and written as two
// uints, low word first: GLSL 430 has no 64-bit integers.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "backend/gl/gl_device.h"
#include "backend/reduce_kernels.h"

namespace ganvas::gl {
namespace {

// The dimensions the shaders' index arrays hold, after merging.
constexpr size_t kMaxRank = 8;
// Inputs per output below which one invocation sums a whole output.
constexpr int64_t kPerThreadCount = 32;
// A long reduction into fewer outputs than this is split into chunks of at least
// kChunkLen inputs (at most kMaxChunks), a workgroup each, so that it spreads
// over the GPU instead of running on one workgroup; a second pass adds them.
constexpr int64_t kFewOutputs = 256;
constexpr int64_t kChunkLen = 4096;
constexpr int64_t kMaxChunks = 1024;

// Chunks a reduction of `count` inputs into `outputs` outputs is split into.
int64_t chunks_for(int64_t outputs, int64_t count) {
    if (outputs >= kFewOutputs) return 1;
    return std::clamp<int64_t>((count + kChunkLen - 1) / kChunkLen, 1, kMaxChunks);
}

void set(Program& p, const char* name, GLuint v) {
    glProgramUniform1ui(p.id, p.location(name), v);
}

// Dimensions as (size, stride) pairs, outermost first.
struct Dims {
    std::vector<int64_t> size, stride;

    void push(int64_t n, int64_t s) {
        if (n == 1) return;  // contributes nothing to an index
        // Merged into the previous dimension where it continues it.
        if (!size.empty() && stride.back() == n * s) {
            size.back() *= n;
            stride.back() = s;
            return;
        }
        size.push_back(n);
        stride.push_back(s);
    }

    // Uploads the sizes, the strides and the rank to the uniforms of those names.
    void upload(Program& p, const char* size_name, const char* stride_name,
                const char* rank_name) const {
        if (size.size() > kMaxRank)
            throw std::runtime_error(std::string(current_op()) + ": more than " +
                                     std::to_string(kMaxRank) +
                                     " dimensions after merging, too many for the GPU kernels");
        GLuint sizes[kMaxRank] = {}, strides[kMaxRank] = {};
        for (size_t d = 0; d < size.size(); ++d)
            sizes[d] = u32(size[d]), strides[d] = u32(stride[d]);
        glProgramUniform1uiv(p.id, p.location(size_name), kMaxRank, sizes);
        glProgramUniform1uiv(p.id, p.location(stride_name), kMaxRank, strides);
        set(p, rank_name, static_cast<GLuint>(size.size()));
    }
};

class GlReduceKernels final : public ReduceKernels {
public:
    explicit GlReduceKernels(GlBackend& be) : be_(be) {}

    void reduce(ReduceOp op, const std::vector<int64_t>& shape, const std::vector<int64_t>& dims,
                const Storage& x, Storage& y) const override {
        const int64_t rank = static_cast<int64_t>(shape.size());
        std::vector<int64_t> stride(rank, 1);
        for (int64_t d = rank - 2; d >= 0; --d) stride[d] = stride[d + 1] * shape[d + 1];
        Dims kept, reduced;
        int64_t outputs = 1, count = 1;
        for (int64_t d = 0; d < rank; ++d)
            if (std::binary_search(dims.begin(), dims.end(), d)) {
                reduced.push(shape[d], stride[d]);
                count *= shape[d];
            } else {
                kept.push(shape[d], stride[d]);
                outputs *= shape[d];
            }
        if (outputs == 0) return;
        u32(outputs * count);
        const float scale =
            op == ReduceOp::mean ? 1.0f / static_cast<float>(std::max<int64_t>(count, 1)) : 1.0f;
        const int64_t chunks = count < kPerThreadCount ? 1 : chunks_for(outputs, count);
        if (chunks == 1) {
            sum_pass(kept, reduced, outputs, count, 1, scale, x, y);
            return;
        }
        auto partial = be_.allocate(static_cast<size_t>(outputs * chunks) * sizeof(float));
        sum_pass(kept, reduced, outputs, count, chunks, 1.0f, x, *partial);  // (outputs, chunks)
        add_chunks(outputs, chunks, scale, *partial, y);
    }

    void broadcast(const std::vector<int64_t>& from, const std::vector<int64_t>& to,
                   const Storage& x, Storage& y) const override {
        const int64_t rank = static_cast<int64_t>(to.size());
        const int64_t lead = rank - static_cast<int64_t>(from.size());
        std::vector<int64_t> stride(rank, 0);
        for (int64_t d = rank - 1, s = 1; d >= lead; --d) {
            stride[d] = from[d - lead] == 1 ? 0 : s;
            s *= from[d - lead];
        }
        Dims dims;
        int64_t total = 1;
        for (int64_t d = 0; d < rank; ++d) {
            dims.push(to[d], stride[d]);
            total *= to[d];
        }
        if (total == 0) return;
        Program& p = be_.program("reduce_broadcast");
        dims.upload(p, "size", "stride", "rank");
        set(p, "total", u32(total));
        be_.bind(0, x);
        be_.bind(1, y);
        be_.dispatch_linear(p, static_cast<uint64_t>(total));
    }

    void argmax(const AxisShape& s, const Storage& x, Storage& idx) const override {
        const int64_t lines = s.outer * s.inner;
        if (lines == 0) return;
        u32(lines * s.n);
        u32(2 * lines);
        Program& p = be_.program("reduce_argmax");
        set_lines(p, s);
        be_.bind(0, x);
        be_.bind(1, idx);
        dispatch_lines(p, s);
    }

    void softmax_forward(SoftmaxMode mode, const AxisShape& s, const Storage& x,
                         Storage& y) const override {
        run_softmax(mode, false, s, x, x, y);
    }
    void softmax_backward(SoftmaxMode mode, const AxisShape& s, const Storage& g, const Storage& y,
                          Storage& gx) const override {
        run_softmax(mode, true, s, g, y, gx);
    }

    void pair_loss_mean(PairLoss op, int64_t n, const Storage& x, const Storage& t,
                        Storage& loss) const override {
        if (n == 0) {  // 0 / 0, as the CPU's mean over nothing
            be_.fill(loss, std::numeric_limits<float>::quiet_NaN(), 1);
            return;
        }
        const int64_t chunks = chunks_for(1, n), chunk_len = (n + chunks - 1) / chunks;
        auto partial = chunks > 1 ? be_.allocate(static_cast<size_t>(chunks) * sizeof(float))
                                  : nullptr;  // (chunks)
        Program& p = be_.program("reduce_loss");
        set(p, "n", u32(n));
        set(p, "chunk_len", u32(chunk_len));
        const float inv_n = 1.0f / static_cast<float>(n);
        set_float(p, "scale", chunks > 1 ? 1.0f : inv_n);
        set_int(p, "op", op == PairLoss::bce_with_logits ? 0 : op == PairLoss::mse ? 1 : 2);
        be_.bind(0, x);
        be_.bind(1, t);
        be_.bind(2, partial ? *partial : loss);
        be_.dispatch(p, static_cast<GLuint>(chunks));
        if (partial) add_chunks(1, chunks, inv_n, *partial, loss);
    }

    void cross_entropy_forward(int64_t N, int64_t C, const Storage& logits, const Storage& target,
                               Storage& lse, Storage& loss) const override {
        if (N == 0) {  // NaN, as torch's mean over nothing
            be_.fill(loss, std::numeric_limits<float>::quiet_NaN(), 1);
            return;
        }
        u32(N * C);
        u32(2 * N);
        auto row_loss = be_.allocate(static_cast<size_t>(N) * sizeof(float));  // (N)
        Program& p = be_.program("reduce_cross_entropy");
        set(p, "rows", u32(N));
        set(p, "C", u32(C));
        be_.bind(0, logits);
        be_.bind(1, target);
        be_.bind(2, lse);
        be_.bind(3, *row_loss);
        dispatch_groups(p, N);
        reduce(ReduceOp::mean, {N}, {0}, *row_loss, loss);
    }

    void cross_entropy_backward(int64_t N, int64_t C, const Storage& logits, const Storage& target,
                                const Storage& lse, const Storage& g, float scale,
                                Storage& gx) const override {
        if (N * C == 0) return;
        Program& p = fill_program(0, N, C, scale);
        be_.bind(0, logits);
        be_.bind(1, target);
        be_.bind(2, lse);
        be_.bind(3, g);
        be_.bind(4, gx);
        be_.dispatch_linear(p, static_cast<uint64_t>(N * C));
    }

    void one_hot(int64_t N, int64_t C, const Storage& target, Storage& out) const override {
        if (N * C == 0) return;
        Program& p = fill_program(1, N, C, 1.0f);
        for (GLuint b : {0u, 2u, 3u}) be_.bind(b, out);  // unread in this mode
        be_.bind(1, target);
        be_.bind(4, out);
        be_.dispatch_linear(p, static_cast<uint64_t>(N * C));
    }

    void first_out_of_range(int64_t n, const Storage& index, int64_t limit,
                            Storage& found) const override {
        u32(2 * n);
        const GLuint bound = limit < 0 ? 0u
                             : limit > std::numeric_limits<GLuint>::max()
                                 ? std::numeric_limits<GLuint>::max()
                                 : static_cast<GLuint>(limit);
        Program& p = be_.program("reduce_range");
        set(p, "n", u32(n));
        set(p, "limit", bound);
        be_.bind(0, n ? index : found);  // an empty index may have no buffer: it is not read then
        be_.bind(1, found);
        be_.dispatch(p, 1);
    }

    void causal_mask(int64_t T, Storage& m) const override {
        if (T == 0) return;
        Program& p = fill_program(2, T, T, 1.0f);
        for (GLuint b : {0u, 1u, 2u, 3u}) be_.bind(b, m);  // unread in this mode
        be_.bind(4, m);
        be_.dispatch_linear(p, static_cast<uint64_t>(T * T));
    }

private:
    // y = x summed over `reduced` times `scale`; with chunks > 1, y (outputs,
    // chunks) holds each output's partial sums over runs of its inputs.
    void sum_pass(const Dims& kept, const Dims& reduced, int64_t outputs, int64_t count,
                  int64_t chunks, float scale, const Storage& x, Storage& y) const {
        u32(outputs * chunks);
        Program& p = be_.program("reduce_sum");
        kept.upload(p, "out_size", "out_stride", "out_rank");
        reduced.upload(p, "red_size", "red_stride", "red_rank");
        set(p, "outputs", u32(outputs));
        set(p, "count", u32(count));
        set(p, "chunks", u32(chunks));
        set(p, "chunk_len", u32((count + chunks - 1) / chunks));
        set_float(p, "scale", scale);
        const bool per_thread = count < kPerThreadCount;
        set_int(p, "per_thread", per_thread ? 1 : 0);
        be_.bind(0, count ? x : y);  // an empty x may have no buffer: it is not read then
        be_.bind(1, y);
        if (per_thread)
            be_.dispatch_linear(p, static_cast<uint64_t>(outputs));
        else
            dispatch_groups(p, outputs * chunks);
    }

    // y (outputs) = the rows of partial (outputs, chunks) summed, times `scale`.
    void add_chunks(int64_t outputs, int64_t chunks, float scale, const Storage& partial,
                    Storage& y) const {
        Dims kept, reduced;
        kept.push(outputs, chunks);
        reduced.push(chunks, 1);
        sum_pass(kept, reduced, outputs, chunks, 1, scale, partial, y);
    }

    // Runs `p` with one workgroup per output, folding workgroups past the 65535
    // limit into y (the shaders rebuild the index and skip those past the end).
    void dispatch_groups(Program& p, int64_t groups) const {
        const int64_t x = std::min<int64_t>(groups, 65535), y = (groups + x - 1) / x;
        if (y > 65535)
            throw std::runtime_error(std::string(current_op()) +
                                     ": too large for one GPU dispatch");
        be_.dispatch(p, static_cast<GLuint>(x), static_cast<GLuint>(y));
    }

    // Runs `p` over the lines of `s`: a workgroup each, or for short lines one
    // invocation each (the shader's per_thread, set here).
    void dispatch_lines(Program& p, const AxisShape& s) const {
        const int64_t lines = s.outer * s.inner;
        const bool per_thread = s.n < kPerThreadCount;
        set_int(p, "per_thread", per_thread ? 1 : 0);
        if (per_thread)
            be_.dispatch_linear(p, static_cast<uint64_t>(lines));
        else
            dispatch_groups(p, lines);
    }

    static void set_lines(Program& p, const AxisShape& s) {
        set(p, "lines", u32(s.outer * s.inner));
        set(p, "n", u32(s.n));
        set(p, "inner", u32(s.inner));
    }

    void run_softmax(SoftmaxMode mode, bool backward, const AxisShape& s, const Storage& a,
                     const Storage& b, Storage& out) const {
        const int64_t lines = s.outer * s.inner;
        if (lines * s.n == 0) return;
        u32(lines * s.n);
        Program& p = be_.program("reduce_softmax");
        set_lines(p, s);
        set_int(p, "log_mode", mode == SoftmaxMode::log_softmax ? 1 : 0);
        set_int(p, "backward", backward ? 1 : 0);
        be_.bind(0, a);
        be_.bind(1, b);
        be_.bind(2, out);
        dispatch_lines(p, s);
    }

    Program& fill_program(GLint mode, int64_t rows, int64_t C, float scale) const {
        u32(rows * C);
        u32(2 * rows);
        Program& p = be_.program("reduce_fill");
        set(p, "rows", u32(rows));
        set(p, "C", u32(C));
        set_int(p, "mode", mode);
        set_float(p, "scale", scale);
        return p;
    }

    GlBackend& be_;
};

}  // namespace

std::unique_ptr<ReduceKernels> make_gl_reduce_kernels(GlBackend& backend) {
    return std::make_unique<GlReduceKernels>(backend);
}

}  // namespace ganvas::gl
