// NumPy .npy files: the header's dict, the shape tuple, dtype and data length.
#include "fuzz/harness.h"
#include "io/npy.h"

namespace ganvas::fuzz {

void fuzz_npy(std::string_view bytes) {
    load_npy(as_file(bytes));
}

}  // namespace ganvas::fuzz
