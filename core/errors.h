// Error types of the GenStereo engine. Every message names what was read or written,
// what was expected and what was found, so that a user can act on it.
#pragma once

#include <stdexcept>
#include <string>

namespace genstereo {

// Base of all errors the engine throws on purpose.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A missing, unreadable, corrupt or inconsistent input (file or parameter).
class InputError : public Error {
 public:
  using Error::Error;
};

// A model checkpoint that is missing, corrupt, truncated, of an unsupported kind, or that does
// not match the model it is loaded into (missing/unexpected key, wrong shape).
class CheckpointError : public InputError {
 public:
  using InputError::InputError;
};

// An output that cannot be written (folder missing or not writable, disk full...).
class OutputError : public Error {
 public:
  using Error::Error;
};

// The user cancelled a long-running operation.
class CancelledError : public Error {
 public:
  CancelledError() : Error("cancelled by the user") {}
};

}  // namespace genstereo
