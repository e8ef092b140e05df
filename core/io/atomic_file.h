// Atomic file writes: every writer in Ganvas goes through here.
//
// A training run that crashes or a disk that fills up must never leave a
// half-written checkpoint or image where the previous good one was. The bytes
// go to `path + ".tmp"`, are flushed to disk, and only then renamed over
// `path` (rename is atomic on POSIX). On any failure the .tmp file is removed
// and `path` is untouched.
#pragma once

#include <functional>
#include <ostream>
#include <string>

namespace ganvas {

// Calls `write` with a binary stream to `path + ".tmp"`, then renames it to `path`.
// Throws std::runtime_error ("PATH: cannot write: REASON") if the file cannot be
// created, written or renamed; exceptions thrown by `write` propagate unchanged
// after the temporary file is removed.
void write_file_atomic(const std::string& path, const std::function<void(std::ostream&)>& write);

}  // namespace ganvas
