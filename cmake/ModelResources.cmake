# genstereo_model_resource_sources(OUT_VAR): generates, in the calling directory's binary dir, the
# C++ sources that compile resources/models/ (catalogue, manifests) in (core/models/
# model_resources.h), and names them in OUT_VAR. Used by genstereo_core and the fuzz harnesses.
function(genstereo_model_resource_sources out_var)
  set(resources catalog.json builtinModelCatalogJson manifests.txt builtinModelManifestsText)
  set(sources)
  while(resources)
    list(POP_FRONT resources resource_file resource_function)
    set(resource_input ${PROJECT_SOURCE_DIR}/resources/models/${resource_file})
    set(resource_output ${CMAKE_CURRENT_BINARY_DIR}/generated/${resource_function}.cpp)
    add_custom_command(OUTPUT ${resource_output}
      COMMAND ${CMAKE_COMMAND} -DINPUT=${resource_input} -DOUTPUT=${resource_output}
              -DNAME=${resource_function} -DNAMESPACE=genstereo
              -P ${PROJECT_SOURCE_DIR}/cmake/EmbedResource.cmake
      DEPENDS ${resource_input} ${PROJECT_SOURCE_DIR}/cmake/EmbedResource.cmake
      COMMENT "Embedding resources/models/${resource_file}"
      VERBATIM)
    list(APPEND sources ${resource_output})
  endwhile()
  set(${out_var} ${sources} PARENT_SCOPE)
endfunction()
