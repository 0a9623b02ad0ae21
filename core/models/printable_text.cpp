#include "models/printable_text.h"

#include <cstdint>
#include <cstdio>

namespace genstereo {

namespace {

void appendEscaped(std::string& out, unsigned char byte) {
  char hex[5];
  std::snprintf(hex, sizeof(hex), "\\x%02X", byte);
  out += hex;
}

// Length of the valid UTF-8 sequence starting at text[at] (1 to 4), or 0 when invalid.
std::size_t utf8SequenceLength(const std::string& text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  std::size_t length = 0;
  std::uint32_t code = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code = lead & 0x1Fu;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code = lead & 0x0Fu;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code = lead & 0x07u;
  } else {
    return 0;
  }
  if (at + length > text.size()) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(at + i) & 0xC0u) != 0x80u) return 0;
    code = (code << 6) | (byte(at + i) & 0x3Fu);
  }
  const bool is_overlong = (length == 3 && code < 0x800) || (length == 4 && code < 0x10000);
  const bool is_surrogate = code >= 0xD800 && code <= 0xDFFF;
  if (is_overlong || is_surrogate || code > 0x10FFFF) return 0;
  if (code >= 0x80 && code <= 0x9F) return 0;  // C1 controls (CSI...) are escaped
  return length;
}

}  // namespace

std::string printableText(const std::string& text, std::size_t max_bytes) {
  std::string out;
  std::size_t at = 0;
  while (at < text.size()) {
    if (out.size() >= max_bytes) return out + "...";
    const unsigned char c = static_cast<unsigned char>(text[at]);
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7F) {
        appendEscaped(out, c);
      } else {
        out += static_cast<char>(c);
      }
      ++at;
      continue;
    }
    const std::size_t length = utf8SequenceLength(text, at);
    if (length == 0) {
      appendEscaped(out, c);
      ++at;
    } else {
      out.append(text, at, length);
      at += length;
    }
  }
  return out;
}

std::string redactUrl(const std::string& url) {
  const std::size_t scheme_end = url.find("://");
  const std::size_t authority_start = scheme_end == std::string::npos ? 0 : scheme_end + 3;
  std::size_t authority_end = url.find_first_of("/?#", authority_start);
  if (authority_end == std::string::npos) authority_end = url.size();
  std::string redacted = url.substr(0, authority_start);
  const std::size_t at_sign = url.rfind('@', authority_end == 0 ? 0 : authority_end - 1);
  const bool has_user =
      at_sign != std::string::npos && at_sign >= authority_start && at_sign < authority_end;
  redacted += url.substr(has_user ? at_sign + 1 : authority_start,
                         authority_end - (has_user ? at_sign + 1 : authority_start));
  const std::size_t rest_end = url.find_first_of("?#", authority_end);
  redacted += url.substr(authority_end,
                         (rest_end == std::string::npos ? url.size() : rest_end) - authority_end);
  if (rest_end != std::string::npos) redacted += url[rest_end] == '?' ? "?[query removed]" : "";
  return redacted;
}

bool hasControlCharacter(const std::string& text) {
  for (const char c : text) {
    const unsigned char byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) return true;
  }
  return false;
}

}  // namespace genstereo
