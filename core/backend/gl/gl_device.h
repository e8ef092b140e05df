// The GPU backend's insides, shared by its memory functions and its kernel
// families: the context, the buffer pool, the compiled programs and the
// barrier between a shader's writes and whatever reads them next.
#pragma once

#include <epoxy/gl.h>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "backend/backend.h"
#include "backend/elementwise_kernels.h"
#include "backend/gl/gl_buffer_pool.h"
#include "backend/gl/gl_context.h"
#include "backend/layout_kernels.h"
#include "backend/linear_kernels.h"
#include "backend/norm_kernels.h"
#include "backend/reduce_kernels.h"
#include "backend/spatial_kernels.h"
#include "backend/update_kernels.h"

namespace ganvas::gl {

// A linked compute program and its uniforms' locations, looked up once.
struct Program {
    GLuint id = 0;
    std::unordered_map<std::string, GLint> locations;
    GLint location(const char* uniform);
};

// GLSL indexes with 32-bit integers: a size past that is refused in one line
// naming current_op(), not wrapped.
GLuint u32(int64_t v);

// A program's uniforms, set without binding it.
inline void set_int(Program& p, const char* name, GLint v) {
    glProgramUniform1i(p.id, p.location(name), v);
}
inline void set_uint(Program& p, const char* name, GLuint v) {
    glProgramUniform1ui(p.id, p.location(name), v);
}
inline void set_float(Program& p, const char* name, float v) {
    glProgramUniform1f(p.id, p.location(name), v);
}

// One thread's GPU backend: its own context (sharing the root's buffers),
// programs and barrier state; the buffer pool is the process's.
class GlBackend;
// gl_elementwise.cpp; nullptr while the family has no GPU kernels (its ops are then refused).
std::unique_ptr<ElementwiseKernels> make_gl_elementwise_kernels(GlBackend& backend);
// gl_reduce.cpp; nullptr while the family has no GPU kernels (its ops are then refused).
std::unique_ptr<ReduceKernels> make_gl_reduce_kernels(GlBackend& backend);
// gl_norm.cpp; nullptr while the family has no GPU kernels (its ops are then refused).
std::unique_ptr<NormKernels> make_gl_norm_kernels(GlBackend& backend);
// gl_spatial.cpp; nullptr while the family has no GPU kernels (its ops are then refused).
std::unique_ptr<SpatialKernels> make_gl_spatial_kernels(GlBackend& backend);
// gl_layout.cpp; nullptr while the family has no GPU kernels (its ops are then refused).
std::unique_ptr<LayoutKernels> make_gl_layout_kernels(GlBackend& backend);
std::unique_ptr<LinearKernels> make_gl_linear_kernels(GlBackend& backend);  // gl_linear.cpp
// gl_update.cpp; nullptr while the family has no GPU kernels (its ops are then refused).
std::unique_ptr<UpdateKernels> make_gl_update_kernels(GlBackend& backend);

class GlBackend final : public Backend {
public:
    GlBackend(const GlContext& root, std::shared_ptr<BufferPool> pool);
    ~GlBackend() override;

    Device device() const override { return Device::gpu; }
    std::string describe() const override;

    std::shared_ptr<Storage> allocate(size_t bytes) override;
    void upload(Storage& dst, size_t offset, const void* src, size_t bytes) override;
    void download(const Storage& src, size_t offset, void* dst, size_t bytes) override;
    void copy(const Storage& src, Storage& dst, size_t bytes) override;
    void fill(Storage& dst, float value, size_t count) override;
    void zero(Storage& dst, size_t bytes) override;
    void synchronize() override;

    BufferPool& pool() { return *pool_; }

    // The program of shaders/<name>.comp, compiled on first use in this context.
    // Throws std::runtime_error naming the shader and the driver's log when
    // it does not compile or link.
    Program& program(const char* name);
    // A linked program of `source`, errors as for program(); the caller owns it.
    GLuint compile(const char* name, const char* source);
    // Binds `s` as shader storage buffer `binding` (it must be this backend's).
    void bind(GLuint binding, const Storage& s);
    // Runs `p` on groups (x, y, z) after a barrier for the last dispatch's writes.
    void dispatch(Program& p, GLuint x, GLuint y = 1, GLuint z = 1);
    // Runs `p` over `count` invocations of a 256-wide 1-D shader, folding
    // workgroups past the 65535 limit into y (the shaders rebuild the index); none for 0.
    void dispatch_linear(Program& p, uint64_t count);

private:
    // Shader writes reach later buffer commands and dispatches only after a
    // barrier; it is issued once, when something next touches memory.
    void wait_for_shader_writes();

    const GlContext& root_;
    void* context_ = nullptr;           // this thread's EGLContext
    std::shared_ptr<BufferPool> pool_;  // shared with release functions
    std::unordered_map<std::string, Program> programs_;
    std::unique_ptr<ElementwiseKernels> elementwise_kernels_;
    std::unique_ptr<ReduceKernels> reduce_kernels_;
    std::unique_ptr<NormKernels> norm_kernels_;
    std::unique_ptr<SpatialKernels> spatial_kernels_;
    std::unique_ptr<LayoutKernels> layout_kernels_;
    std::unique_ptr<LinearKernels> linear_kernels_;
    std::unique_ptr<UpdateKernels> update_kernels_;
    bool shader_writes_pending_ = false;
};

}  // namespace ganvas::gl
