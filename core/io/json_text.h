// Text that goes into JSON documents: file names and messages are bytes, JSON strings must be
// UTF-8 (nlohmann::json::dump throws type_error 316 on anything else, naming no file).
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace genstereo {

// `text` when it is valid UTF-8; otherwise every byte that is not part of a valid UTF-8
// sequence is written as the four characters "\xNN" (so that two different names stay
// different and the original bytes can be told).
std::string validUtf8(const std::string& text);

// validUtf8 of the path's native bytes.
std::string jsonPathString(const std::filesystem::path& path);

// doc.dump(indent) + "\n"; a string that is not UTF-8 despite validUtf8 is replaced (U+FFFD)
// instead of throwing.
std::string dumpJsonDocument(const nlohmann::json& doc, int indent = 2);

}  // namespace genstereo
