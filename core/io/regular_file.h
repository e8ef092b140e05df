// Opening files for reading without hanging on what is not a file.
//
// open(2) of a FIFO (named pipe) blocks until some process opens it for
// writing, so a data set, checkpoint or lesson path that named one would hang
// the command line or the window for good; and a pipe of either kind (a FIFO,
// or bash's <(...)) cannot serve readers that probe a file's head and open it
// again, or seek. These open without blocking and then refuse whatever is not
// a regular file: a pipe, a socket, a device (/dev/zero never ends) or a folder.
#pragma once

#include <cstdio>
#include <string>

namespace ganvas {

// A file descriptor for reading path, close-on-exec and blocking again once
// open; the caller closes it. Throws std::runtime_error "PATH: cannot open: WHY".
int open_regular_file(const std::string& path);

// The same as a stdio stream ("rb"); the caller fcloses it.
FILE* open_regular_stream(const std::string& path);

// "" where open_regular_file would succeed, else the WHY it would throw ("it is
// a folder, not a file", "No such file or directory"): for readers that open
// the file themselves and word their own errors.
std::string why_not_readable(const std::string& path);

}  // namespace ganvas
