# Turns a file into a C++ source defining `std::string_view NAME()` with its bytes, so resources
# are compiled into the library. Usage (script mode):
#   cmake -DINPUT=file -DOUTPUT=file.cpp -DNAME=function -DNAMESPACE=ns -P EmbedResource.cmake
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR byte_count "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${INPUT} by cmake/EmbedResource.cmake. Do not edit.\n"
  "#include <string_view>\n\nnamespace ${NAMESPACE} {\nnamespace {\n"
  "const char kBytes[] = {\n${bytes}0};\n}  // namespace\n\n"
  "std::string_view ${NAME}() { return std::string_view(kBytes, ${byte_count}); }\n\n"
  "}  // namespace ${NAMESPACE}\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
