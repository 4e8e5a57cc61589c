# The install test (CTest install.FindPackage): cmake --install the build into a temporary prefix, check
# <prefix>/bin/earshot runs, then configure, build and run tests/install/consumer against the prefix
# with find_package(earshot). Variables: BUILD_DIR, SOURCE_DIR, WORK, GENERATOR, CXX, CXX_FLAGS,
# LINKER_FLAGS, VERSION.
file(REMOVE_RECURSE ${WORK})
set(prefix ${WORK}/prefix)
function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()
run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
if(NOT EXISTS ${prefix}/bin/earshot)
  message(FATAL_ERROR "cmake --install put no earshot command in ${prefix}/bin")
endif()
run("${prefix}/bin/earshot --version" ${prefix}/bin/earshot --version)
if(NOT out MATCHES "${VERSION}")
  message(FATAL_ERROR "${prefix}/bin/earshot --version printed '${out}', not ${VERSION}")
endif()
run("configuring the consumer" ${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/install/consumer -B ${WORK}/build -G ${GENERATOR}
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_BUILD_TYPE=Release
    "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${LINKER_FLAGS}" -DEARSHOT_EXPECTED_VERSION=${VERSION})
run("building the consumer" ${CMAKE_COMMAND} --build ${WORK}/build)
run("running the consumer" ${WORK}/build/consumer)
message(STATUS "${out}")
file(REMOVE_RECURSE ${WORK})
