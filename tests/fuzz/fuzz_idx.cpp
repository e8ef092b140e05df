// IDX files (MNIST), plain or gzipped: magic, type code, rank, dimensions, data length.
#include "data/idx.h"
#include "fuzz/harness.h"

namespace ganvas::fuzz {

void fuzz_idx(std::string_view bytes) {
    read_idx(as_file(bytes));
}

}  // namespace ganvas::fuzz
