# `cmake --install` provides headers, the library and a CMake package, so that another project's
# find_package(tensorgraph) + target_link_libraries(app tensorgraph::tensorgraph) works.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS tensorgraph EXPORT tensorgraphTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY include/tensorgraph DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT tensorgraphTargets NAMESPACE tensorgraph::
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tensorgraph)
configure_package_config_file(cmake/tensorgraphConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/tensorgraphConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tensorgraph)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/tensorgraphConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/tensorgraphConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/tensorgraphConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tensorgraph)
