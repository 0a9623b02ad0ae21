// Text from outside the program (a server's error header, a URL, a file name) made safe to
// print: no terminal escape sequences, no line breaks that forge a second message line, no
// unbounded length, and no credentials or signed query strings from URLs.
#pragma once

#include <cstddef>
#include <string>

namespace genstereo {

// `text` with every control character (C0, DEL, the C1 range U+0080-U+009F) and every byte
// that is not valid UTF-8 written as \xNN, valid UTF-8 kept; cut at about `max_bytes` (whole
// characters) with "..." appended.
std::string printableText(const std::string& text, std::size_t max_bytes = 4096);

// `url` without "user:password@" in its authority and without its query string and fragment
// (a CDN's signed query, X-Amz-Signature=..., is a credential): "https://h/p?[query removed]".
std::string redactUrl(const std::string& url);

// True when `text` holds a C0 control character or DEL (a CR or LF in a header value would
// start another header).
bool hasControlCharacter(const std::string& text);

}  // namespace genstereo
