#include "backend/gl/gl_backend.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <string>

#include "backend/gl/gl_device.h"
#include "backend/gl/shader_sources.h"
#include "backend/linear_kernels.h"

namespace ganvas::gl {

namespace {

std::atomic<size_t> g_cap_before_open{0};

// GANVAS_GPU_MEMORY_CAP in MiB, or 0.
size_t cap_from_environment() {
    const char* text = std::getenv("GANVAS_GPU_MEMORY_CAP");
    if (!text || !*text) return 0;
    char* end = nullptr;
    const unsigned long long mib = std::strtoull(text, &end, 10);
    if (*end != '\0' || text[0] == '-')
        throw std::runtime_error("GANVAS_GPU_MEMORY_CAP must be a whole number of MiB, got '" +
                                 std::string(text) + "'");
    return static_cast<size_t>(mib) << 20;
}

std::string one_line(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    for (size_t at = text.find('\n'); at != std::string::npos; at = text.find('\n', at))
        text.replace(at, 1, "; ");
    return text;
}

std::string shader_log(GLuint object, bool program) {
    GLint length = 0;
    if (program)
        glGetProgramiv(object, GL_INFO_LOG_LENGTH, &length);
    else
        glGetShaderiv(object, GL_INFO_LOG_LENGTH, &length);
    std::string log(static_cast<size_t>(std::max(length, 1)), '\0');
    if (program)
        glGetProgramInfoLog(object, length, nullptr, log.data());
    else
        glGetShaderInfoLog(object, length, nullptr, log.data());
    log.resize(log.find('\0') == std::string::npos ? log.size() : log.find('\0'));
    return one_line(log);
}

void check_range(const Storage& s, size_t offset, size_t bytes, const char* what) {
    if (s.device() != Device::gpu || s.handle() == 0)
        throw std::logic_error(std::string("gpu ") + what + " was given memory that is not a " +
                               "GL buffer");
    if (offset > s.bytes() || bytes > s.bytes() - offset)
        throw std::out_of_range(std::string("gpu ") + what + " past the end of a buffer");
}

}  // namespace

GLuint u32(int64_t v) {
    if (v < 0 || v > std::numeric_limits<int32_t>::max())
        throw std::runtime_error(std::string(current_op()) + ": size " + std::to_string(v) +
                                 " is too large for the GPU kernels (32-bit indices)");
    return static_cast<GLuint>(v);
}

GLint Program::location(const char* uniform) {
    auto it = locations.find(uniform);
    if (it == locations.end())
        it = locations.emplace(uniform, glGetUniformLocation(id, uniform)).first;
    return it->second;
}

GlBackend::GlBackend(const GlContext& root, std::shared_ptr<BufferPool> pool)
    : root_(root), context_(root.open_for_this_thread()), pool_(std::move(pool)) {
    // Two lines per kernel family, in the order of backend.h; a family without GPU
    // kernels yet stays null and answers with Backend's "no ... kernels" error.
    elementwise_kernels_ = make_gl_elementwise_kernels(*this);
    elementwise_ = elementwise_kernels_.get();
    reduce_kernels_ = make_gl_reduce_kernels(*this);
    reduce_ = reduce_kernels_.get();
    norm_kernels_ = make_gl_norm_kernels(*this);
    norm_ = norm_kernels_.get();
    spatial_kernels_ = make_gl_spatial_kernels(*this);
    spatial_ = spatial_kernels_.get();
    layout_kernels_ = make_gl_layout_kernels(*this);
    layout_ = layout_kernels_.get();
    linear_kernels_ = make_gl_linear_kernels(*this);
    linear_ = linear_kernels_.get();
    update_kernels_ = make_gl_update_kernels(*this);
    update_ = update_kernels_.get();
}

GlBackend::~GlBackend() {
    // The thread is ending: its programs and context go; its buffers are the pool's.
    for (auto& [name, p] : programs_) glDeleteProgram(p.id);
    root_.close_for_this_thread(context_);
}

std::string GlBackend::describe() const {
    return root_.renderer() + ", OpenGL " + root_.version();
}

std::shared_ptr<Storage> GlBackend::allocate(size_t bytes) {
    std::shared_ptr<BufferPool> pool = pool_;
    const uint32_t buffer = pool->acquire(bytes);
    return std::make_shared<Storage>(Device::gpu, bytes, buffer,
                                     [pool](uint64_t handle, size_t size) {
                                         pool->release(static_cast<uint32_t>(handle), size);
                                     });
}

void GlBackend::upload(Storage& dst, size_t offset, const void* src, size_t bytes) {
    check_range(dst, offset, bytes, "upload");
    if (!bytes) return;
    wait_for_shader_writes();
    glBindBuffer(GL_COPY_WRITE_BUFFER, static_cast<GLuint>(dst.handle()));
    glBufferSubData(GL_COPY_WRITE_BUFFER, static_cast<GLintptr>(offset),
                    static_cast<GLsizeiptr>(bytes), src);
}

void GlBackend::download(const Storage& src, size_t offset, void* dst, size_t bytes) {
    check_range(src, offset, bytes, "download");
    if (!bytes) return;
    wait_for_shader_writes();
    glBindBuffer(GL_COPY_READ_BUFFER, static_cast<GLuint>(src.handle()));
    glGetBufferSubData(GL_COPY_READ_BUFFER, static_cast<GLintptr>(offset),
                       static_cast<GLsizeiptr>(bytes), dst);
}

void GlBackend::copy(const Storage& src, Storage& dst, size_t bytes) {
    check_range(src, 0, bytes, "copy");
    check_range(dst, 0, bytes, "copy");
    if (!bytes || src.handle() == dst.handle()) return;
    wait_for_shader_writes();
    glBindBuffer(GL_COPY_READ_BUFFER, static_cast<GLuint>(src.handle()));
    glBindBuffer(GL_COPY_WRITE_BUFFER, static_cast<GLuint>(dst.handle()));
    glCopyBufferSubData(GL_COPY_READ_BUFFER, GL_COPY_WRITE_BUFFER, 0, 0,
                        static_cast<GLsizeiptr>(bytes));
}

void GlBackend::fill(Storage& dst, float value, size_t count) {
    check_range(dst, 0, count * sizeof(float), "fill");
    if (!count) return;
    wait_for_shader_writes();
    glBindBuffer(GL_COPY_WRITE_BUFFER, static_cast<GLuint>(dst.handle()));
    glClearBufferSubData(GL_COPY_WRITE_BUFFER, GL_R32F, 0,
                         static_cast<GLsizeiptr>(count * sizeof(float)), GL_RED, GL_FLOAT, &value);
}

void GlBackend::zero(Storage& dst, size_t bytes) {
    check_range(dst, 0, bytes, "zero");
    if (!bytes) return;
    wait_for_shader_writes();
    glBindBuffer(GL_COPY_WRITE_BUFFER, static_cast<GLuint>(dst.handle()));
    // No data: the range is cleared to zeros.
    glClearBufferSubData(GL_COPY_WRITE_BUFFER, GL_R8, 0, static_cast<GLsizeiptr>(bytes), GL_RED,
                         GL_UNSIGNED_BYTE, nullptr);
}

void GlBackend::synchronize() {
    glFinish();
}

Program& GlBackend::program(const char* name) {
    auto it = programs_.find(name);
    if (it != programs_.end()) return it->second;
    const char* source = shader_source(name);
    if (!source)
        throw std::logic_error(std::string("no shader shaders/") + name + ".comp is built in");
    const GLuint id = compile(name, source);
    Program& p = programs_[name];
    p.id = id;
    return p;
}

GLuint GlBackend::compile(const char* name, const char* source) {
    const std::string where = std::string("GPU shader shaders/") + name + ".comp on " + describe();
    GLuint shader = glCreateShader(GL_COMPUTE_SHADER);
    glShaderSource(shader, 1, &source, nullptr);
    glCompileShader(shader);
    GLint ok = GL_FALSE;
    glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        const std::string log = shader_log(shader, false);
        glDeleteShader(shader);
        throw std::runtime_error(where + " does not compile: " + log);
    }
    GLuint id = glCreateProgram();
    glAttachShader(id, shader);
    glLinkProgram(id);
    glDeleteShader(shader);  // the program keeps it while linked
    glGetProgramiv(id, GL_LINK_STATUS, &ok);
    if (!ok) {
        const std::string log = shader_log(id, true);
        glDeleteProgram(id);
        throw std::runtime_error(where + " does not link: " + log);
    }
    return id;
}

void GlBackend::bind(GLuint binding, const Storage& s) {
    check_range(s, 0, 0, current_op());
    glBindBufferBase(GL_SHADER_STORAGE_BUFFER, binding, static_cast<GLuint>(s.handle()));
}

void GlBackend::dispatch(Program& p, GLuint x, GLuint y, GLuint z) {
    if (!x || !y || !z) return;
    wait_for_shader_writes();
    glUseProgram(p.id);
    glDispatchCompute(x, y, z);
    shader_writes_pending_ = true;
}

void GlBackend::dispatch_linear(Program& p, uint64_t count) {
    if (count == 0) return;  // an empty tensor: nothing to run
    const uint64_t groups = (count + 255) / 256;
    const uint64_t x = std::min<uint64_t>(groups, 65535),
                   y = (groups + x - 1) / std::max<uint64_t>(x, 1);
    if (y > 65535)
        throw std::runtime_error(std::string(current_op()) + ": too large for one GPU dispatch");
    dispatch(p, static_cast<GLuint>(x), static_cast<GLuint>(y));
}

void GlBackend::wait_for_shader_writes() {
    if (!shader_writes_pending_) return;
    glMemoryBarrier(GL_SHADER_STORAGE_BARRIER_BIT | GL_BUFFER_UPDATE_BARRIER_BIT);
    shader_writes_pending_ = false;
}

// ---------------------------------------------------------------------------

namespace {

// The process's side: the root context and the buffer pool, opened once by
// the first thread that asks and never destroyed (storages released during
// exit still return their buffers to the pool).
struct Opened {
    GlContext* root = nullptr;
    std::shared_ptr<BufferPool> pool;
    std::string error;
};

const Opened& opened() {
    static const Opened o = [] {
        Opened result;
        try {
            const size_t env_cap = cap_from_environment();
            result.root = new GlContext();
            result.pool = std::make_shared<BufferPool>();
            result.pool->set_cap(env_cap ? env_cap : g_cap_before_open.load());
        } catch (const std::exception& e) {
            result.error = one_line(e.what());
        }
        return result;
    }();
    return o;
}

}  // namespace

Backend& gl_backend() {
    const Opened& o = opened();
    if (!o.root) throw std::runtime_error(o.error);
    // One context per thread that runs kernels, closed when the thread ends.
    thread_local std::unique_ptr<GlBackend> mine;
    if (!mine) mine = std::make_unique<GlBackend>(*o.root, o.pool);
    return *mine;
}

bool gl_backend_available(std::string* why) {
    const Opened& o = opened();
    if (!o.root && why) *why = o.error;
    return o.root != nullptr;
}

GpuPoolStats gpu_pool_stats() {
    const Opened& o = opened();
    return o.pool ? o.pool->stats() : GpuPoolStats{};
}

void set_gpu_memory_cap(size_t bytes) {
    g_cap_before_open = bytes;
    const Opened& o = opened();
    if (o.pool) o.pool->set_cap(bytes);
}

void trim_gpu_pool() {
    gl_backend();  // deleting buffers needs this thread's context
    opened().pool->trim();
}

}  // namespace ganvas::gl
