// The GPU backend's layout kernels: strided copies (shaders/layout_copy.comp),
// the index check (layout_check.comp), the embedding lookup and its gradient
// (layout_rows.comp), gather and scatter_add (layout_gather.comp) and argmin
// (layout_argmin.comp).
//
// GLSL 430 has no 64-bit integers: i64 elements move as pairs of 32-bit
// words, and int64 indices are read as their low word once the check has
// proved them inside [0, size). The scatter-adds run one invocation per set
// of destinations that only it touches, adding in the CPU's order, so their
// sums round exactly as the CPU's serial loops do (GL 4.3 has no float atomics).
#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "backend/gl/gl_device.h"
#include "backend/layout_kernels.h"

namespace ganvas::gl {
namespace {

constexpr size_t kMaxRank = 8;  // the shaders' array uniforms

// Every 32-bit word of `s` must be addressable by the shaders.
void check_words(const Storage& s) {
    u32(static_cast<int64_t>(s.bytes() / sizeof(uint32_t)));
}

void set(Program& p, const char* name, GLuint v) {
    glProgramUniform1ui(p.id, p.location(name), v);
}
void set_mode(Program& p, const char* name, int v) {
    glProgramUniform1i(p.id, p.location(name), v);
}
// An array uniform of kMaxRank values, the first `values.size()` of them given.
void set_array(Program& p, const char* name, const std::vector<int64_t>& values) {
    std::array<GLuint, kMaxRank> a{};
    for (size_t k = 0; k < values.size(); ++k) a[k] = u32(values[k]);
    glProgramUniform1uiv(p.id, p.location(name), static_cast<GLsizei>(kMaxRank), a.data());
}

// The same copy with fewer dimensions: size-1 dimensions dropped, and a
// dimension merged into the next where both sides step through them as one.
// Most permutes, and every narrow and cat piece, end with one or two.
StridedCopy simplified(const StridedCopy& c) {
    StridedCopy s;
    s.element_bytes = c.element_bytes;
    s.src_offset = c.src_offset, s.dst_offset = c.dst_offset;
    for (size_t d = 0; d < c.sizes.size(); ++d) {
        if (c.sizes[d] == 1) continue;
        if (!s.sizes.empty() && s.src_strides.back() == c.src_strides[d] * c.sizes[d] &&
            s.dst_strides.back() == c.dst_strides[d] * c.sizes[d]) {
            s.sizes.back() *= c.sizes[d];
            s.src_strides.back() = c.src_strides[d];
            s.dst_strides.back() = c.dst_strides[d];
            continue;
        }
        s.sizes.push_back(c.sizes[d]);
        s.src_strides.push_back(c.src_strides[d]);
        s.dst_strides.push_back(c.dst_strides[d]);
    }
    if (s.sizes.empty()) s.sizes = {1}, s.src_strides = {1}, s.dst_strides = {1};  // one element
    return s;
}

// The last element's offset past the first: every address the copy forms on one side.
int64_t extent(const std::vector<int64_t>& sizes, const std::vector<int64_t>& strides) {
    int64_t e = 0;
    for (size_t d = 0; d < sizes.size(); ++d) e += (sizes[d] - 1) * strides[d];
    return e;
}

class GlLayoutKernels final : public LayoutKernels {
public:
    explicit GlLayoutKernels(GlBackend& be) : be_(be) {}

    void copy_strided(const StridedCopy& c, const Storage& src, Storage& dst) const override {
        if (c.element_bytes != 4 && c.element_bytes != 8)
            throw std::invalid_argument("copy_strided: elements of " +
                                        std::to_string(c.element_bytes) +
                                        " bytes (only 4 and 8 are tensor dtypes)");
        for (int64_t size : c.sizes)
            if (size == 0) return;
        StridedCopy s = simplified(c);
        const int64_t words = static_cast<int64_t>(c.element_bytes / sizeof(uint32_t));
        u32((s.src_offset + extent(s.sizes, s.src_strides) + 1) * words);
        u32((s.dst_offset + extent(s.sizes, s.dst_strides) + 1) * words);
        // Past the shader's rank the leading dimensions are walked here, one dispatch each.
        const size_t lead = s.sizes.size() > kMaxRank ? s.sizes.size() - kMaxRank : 0;
        const std::vector<int64_t> lead_sizes(s.sizes.begin(), s.sizes.begin() + lead);
        StridedCopy block;
        block.sizes.assign(s.sizes.begin() + lead, s.sizes.end());
        block.src_strides.assign(s.src_strides.begin() + lead, s.src_strides.end());
        block.dst_strides.assign(s.dst_strides.begin() + lead, s.dst_strides.end());
        int64_t count = 1, blocks = 1;
        for (int64_t size : block.sizes) count *= size;
        for (int64_t size : lead_sizes) blocks *= size;
        Program& p = be_.program("layout_copy");
        set(p, "rank", static_cast<GLuint>(block.sizes.size()));
        set_array(p, "sizes", block.sizes);
        set_array(p, "src_strides", block.src_strides);
        set_array(p, "dst_strides", block.dst_strides);
        set(p, "count", u32(count));
        set(p, "words", static_cast<GLuint>(words));
        be_.bind(0, src);
        be_.bind(1, dst);
        for (int64_t b = 0; b < blocks; ++b) {
            int64_t rem = b, src_off = s.src_offset, dst_off = s.dst_offset;
            for (int64_t d = static_cast<int64_t>(lead) - 1; d >= 0; --d) {
                const int64_t i = rem % lead_sizes[d];
                rem /= lead_sizes[d];
                src_off += i * s.src_strides[d];
                dst_off += i * s.dst_strides[d];
            }
            set(p, "src_offset", u32(src_off));
            set(p, "dst_offset", u32(dst_off));
            be_.dispatch_linear(p, static_cast<uint64_t>(count));
        }
    }

    void first_index_outside(int64_t n, int64_t size, const Storage& index,
                             Storage& found) const override {
        const int64_t none[2] = {-1, 0};
        be_.upload(found, 0, none, sizeof(none));
        if (n == 0) return;
        check_words(index);
        Program& p = be_.program("layout_check");
        set(p, "n", u32(n));
        // An index is inside when its high word is 0 and its low word below size;
        // a size past 32 bits would need the high word compared too.
        set(p, "size", u32(size));
        be_.bind(0, index);
        be_.bind(1, found);
        set_mode(p, "pass_", 0);
        be_.dispatch_linear(p, static_cast<uint64_t>(n));
        set_mode(p, "pass_", 1);
        be_.dispatch(p, 1);
    }

    void gather_rows(int64_t rows, int64_t row_len, const Storage& table, const Storage& index,
                     Storage& out) const override {
        if (rows == 0 || row_len == 0) return;
        run_rows(0, rows, row_len, index, table, out);
        be_.dispatch_linear(be_.program("layout_rows"), static_cast<uint64_t>(rows * row_len));
    }

    void scatter_add_rows(int64_t rows, int64_t row_len, const Storage& src, const Storage& index,
                          Storage& table) const override {
        if (rows == 0 || row_len == 0) return;
        run_rows(1, rows, row_len, index, src, table);
        be_.dispatch_linear(be_.program("layout_rows"), static_cast<uint64_t>(row_len));
    }

    void gather(const IndexGeometry& g, const Storage& x, const Storage& index,
                Storage& out) const override {
        const int64_t n = numel(g.index_sizes);
        if (n == 0) return;
        Program& p = setup_gather(0, g, n, index, x, out);
        be_.dispatch_linear(p, static_cast<uint64_t>(n));
    }

    void scatter_add(const IndexGeometry& g, const Storage& index, const Storage& src,
                     Storage& out) const override {
        const int64_t n = numel(g.index_sizes);
        if (n == 0) return;
        const int64_t lines = n / g.index_sizes[static_cast<size_t>(g.dim)];
        Program& p = setup_gather(1, g, lines, index, src, out);
        be_.dispatch_linear(p, static_cast<uint64_t>(lines));
    }

    void argmin(int64_t outer, int64_t len, int64_t inner, const Storage& x,
                Storage& out) const override {
        if (outer * inner == 0) return;
        check_words(x);
        check_words(out);
        u32(outer * len * inner);
        Program& p = be_.program("layout_argmin");
        set(p, "outer", u32(outer));
        set(p, "len", u32(len));
        set(p, "inner", u32(inner));
        be_.bind(0, x);
        be_.bind(1, out);
        be_.dispatch_linear(p, static_cast<uint64_t>(outer * inner));
    }

private:
    static int64_t numel(const std::vector<int64_t>& sizes) {
        int64_t n = 1;
        for (int64_t s : sizes) n *= s;
        return n;
    }

    // layout_rows.comp's uniforms and buffers for `mode`.
    void run_rows(int mode, int64_t rows, int64_t row_len, const Storage& index, const Storage& in,
                  Storage& out) const {
        for (const Storage* s : {&index, &in, static_cast<const Storage*>(&out)}) check_words(*s);
        u32(rows * row_len);
        Program& p = be_.program("layout_rows");
        set(p, "rows", u32(rows));
        set(p, "row_len", u32(row_len));
        set_mode(p, "mode", mode);
        be_.bind(0, index);
        be_.bind(1, in);
        be_.bind(2, out);
    }

    // layout_gather.comp's uniforms and buffers for `mode` over `count` invocations.
    Program& setup_gather(int mode, const IndexGeometry& g, int64_t count, const Storage& index,
                          const Storage& in, Storage& out) const {
        if (g.index_sizes.size() > kMaxRank)
            throw std::runtime_error(std::string(current_op()) +
                                     ": the GPU kernels index at most " + std::to_string(kMaxRank) +
                                     " dimensions, got " + std::to_string(g.index_sizes.size()));
        for (const Storage* s : {&index, &in, static_cast<const Storage*>(&out)}) check_words(*s);
        std::vector<int64_t> istrides(g.index_sizes.size(), 1);
        for (int64_t d = static_cast<int64_t>(istrides.size()) - 2; d >= 0; --d)
            istrides[d] = istrides[d + 1] * g.index_sizes[d + 1];
        Program& p = be_.program("layout_gather");
        set(p, "rank", static_cast<GLuint>(g.index_sizes.size()));
        set(p, "dim", u32(g.dim));
        set(p, "count", u32(count));
        set_array(p, "isizes", g.index_sizes);
        set_array(p, "istrides", istrides);
        set_array(p, "xstrides", g.strides);
        set_mode(p, "mode", mode);
        be_.bind(0, index);
        be_.bind(1, in);
        be_.bind(2, out);
        return p;
    }

    GlBackend& be_;
};

}  // namespace

std::unique_ptr<LayoutKernels> make_gl_layout_kernels(GlBackend& backend) {
    return std::make_unique<GlLayoutKernels>(backend);
}

}  // namespace ganvas::gl
