// safetensors checkpoints: the header length, the JSON header, "__metadata__", each
// tensor's dtype, shape and data offsets.
#include "fuzz/harness.h"
#include "io/safetensors.h"

namespace ganvas::fuzz {

void fuzz_safetensors(std::string_view bytes) {
    read_safetensors(as_file(bytes));
}

}  // namespace ganvas::fuzz
