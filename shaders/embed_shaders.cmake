# cmake -DSHADER_DIR=... -DOUT=file.cpp -P embed_shaders.cmake
# Writes a C++ file holding every SHADER_DIR/*.comp as a string, found by
# name through shader_source() (core/backend/gl/shader_sources.h).
file(GLOB sources ${SHADER_DIR}/*.comp)
list(SORT sources)
set(entries "")
foreach(src ${sources})
  get_filename_component(name ${src} NAME_WE)
  file(READ ${src} text)
  string(APPEND entries "    {\"${name}\", R\"ganvas_glsl(${text})ganvas_glsl\"},\n")
endforeach()
file(WRITE ${OUT}.new
"// Generated from shaders/*.comp by shaders/embed_shaders.cmake: do not edit.
#include \"backend/gl/shader_sources.h\"

#include <cstring>

namespace ganvas::gl {
namespace {

struct Shader {
    const char* name;
    const char* source;
};

const Shader kShaders[] = {
${entries}};

}  // namespace

const char* shader_source(const char* name) {
    for (const Shader& s : kShaders)
        if (std::strcmp(s.name, name) == 0) return s.source;
    return nullptr;
}

}  // namespace ganvas::gl
")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUT}.new ${OUT})
file(REMOVE ${OUT}.new)
