// The compute shaders' GLSL, embedded at build time from shaders/*.comp
// (shaders/embed.cmake checks each with glslangValidator first).
#pragma once

namespace ganvas::gl {

// The source of shaders/<name>.comp, or nullptr where there is none.
const char* shader_source(const char* name);

}  // namespace ganvas::gl
