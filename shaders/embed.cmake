# The GPU backend's compute shaders: each shaders/*.comp is checked by Debian's
# glslangValidator (glslang-tools) at build time, so a shader error fails the
# build and not a run, and then embedded in the binary as source text, so the
# binary needs no shader files beside it.
find_program(GLSLANG_VALIDATOR glslangValidator REQUIRED)

function(ganvas_embed_shaders target)
  set(shader_dir ${PROJECT_SOURCE_DIR}/shaders)
  file(GLOB sources CONFIGURE_DEPENDS ${shader_dir}/*.comp)
  set(stamp_dir ${CMAKE_CURRENT_BINARY_DIR}/shaders)
  file(MAKE_DIRECTORY ${stamp_dir})
  set(stamps)
  foreach(src ${sources})
    get_filename_component(name ${src} NAME_WE)
    set(stamp ${stamp_dir}/${name}.valid)
    # GLSL 430 rules for OpenGL (the #version line); -l links, so main() must exist.
    add_custom_command(OUTPUT ${stamp}
      COMMAND ${GLSLANG_VALIDATOR} -S comp -l ${src}
      COMMAND ${CMAKE_COMMAND} -E touch ${stamp}
      DEPENDS ${src}
      COMMENT "Validating shaders/${name}.comp"
      VERBATIM)
    list(APPEND stamps ${stamp})
  endforeach()
  set(out ${CMAKE_CURRENT_BINARY_DIR}/embedded_shaders.cpp)
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DSHADER_DIR=${shader_dir} -DOUT=${out}
            -P ${shader_dir}/embed_shaders.cmake
    DEPENDS ${sources} ${stamps} ${shader_dir}/embed_shaders.cmake
    COMMENT "Embedding shaders/*.comp"
    VERBATIM)
  target_sources(${target} PRIVATE ${out})
endfunction()
