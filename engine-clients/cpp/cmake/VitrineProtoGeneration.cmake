# Runs protoc and grpc_cpp_plugin over every .proto in PROTO_ROOT/PROTO_SUBDIR at build time,
# so the generated C++ always matches the contracts in the repository.
function(vitrine_generate_cpp_from_protos)
  cmake_parse_arguments(ARG "" "PROTO_ROOT;PROTO_SUBDIR;OUTPUT_DIR;SOURCES_VAR;HEADERS_VAR" "" ${ARGN})
  file(GLOB proto_files CONFIGURE_DEPENDS "${ARG_PROTO_ROOT}/${ARG_PROTO_SUBDIR}/*.proto")
  if(NOT proto_files)
    message(FATAL_ERROR "No .proto files found in ${ARG_PROTO_ROOT}/${ARG_PROTO_SUBDIR}")
  endif()
  file(MAKE_DIRECTORY "${ARG_OUTPUT_DIR}")

  set(sources "")
  set(headers "")
  foreach(proto_file IN LISTS proto_files)
    get_filename_component(stem "${proto_file}" NAME_WE)
    set(prefix "${ARG_OUTPUT_DIR}/${ARG_PROTO_SUBDIR}/${stem}")
    set(outputs "${prefix}.pb.cc" "${prefix}.pb.h" "${prefix}.grpc.pb.cc" "${prefix}.grpc.pb.h")
    add_custom_command(
      OUTPUT ${outputs}
      COMMAND "${PROTOC_EXECUTABLE}"
              "--proto_path=${ARG_PROTO_ROOT}"
              "--proto_path=${VITRINE_WELL_KNOWN_PROTO_DIR}"
              "--cpp_out=${ARG_OUTPUT_DIR}"
              "--grpc_out=${ARG_OUTPUT_DIR}"
              "--plugin=protoc-gen-grpc=${GRPC_CPP_PLUGIN_EXECUTABLE}"
              "${proto_file}"
      # Every file may import any other, so a change to one regenerates all.
      DEPENDS ${proto_files}
      COMMENT "Generating C++ from ${ARG_PROTO_SUBDIR}/${stem}.proto"
      VERBATIM)
    list(APPEND sources "${prefix}.pb.cc" "${prefix}.grpc.pb.cc")
    list(APPEND headers "${prefix}.pb.h" "${prefix}.grpc.pb.h")
  endforeach()
  set(${ARG_SOURCES_VAR} ${sources} PARENT_SCOPE)
  set(${ARG_HEADERS_VAR} ${headers} PARENT_SCOPE)
endfunction()
