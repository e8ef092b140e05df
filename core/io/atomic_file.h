// Atomic file writes: every writer in Ganvas goes through here.
//
// A training run that crashes or a disk that fills up must never leave a
// half-written checkpoint or image where the previous good one was. The bytes
// go to a fresh temporary file beside `path`, are flushed to disk, and only
// then renamed over `path` (rename is atomic on POSIX). On any failure the
// temporary is removed and `path` is untouched.
//
// The temporary is named `.NAME.ganvas-RANDOM` and created with
// O_CREAT|O_EXCL|O_NOFOLLOW, so a file or symlink someone planted at a name we
// might use is never opened, followed or overwritten. Temporaries of ours that
// a killed process left behind (older than this process) are removed the next
// time the same file is written.
#pragma once

#include <functional>
#include <ostream>
#include <string>

namespace ganvas {

// Calls `write` with a binary stream to a new temporary file in `path`'s
// folder, then renames it to `path`. Throws std::runtime_error ("PATH: cannot
// write: REASON") if the file cannot be created, written or renamed;
// exceptions thrown by `write` propagate unchanged after the temporary file is
// removed.
void write_file_atomic(const std::string& path, const std::function<void(std::ostream&)>& write);

// The prefix every temporary for `path` starts with: ".NAME.ganvas-".
std::string atomic_temp_prefix(const std::string& path);

}  // namespace ganvas
