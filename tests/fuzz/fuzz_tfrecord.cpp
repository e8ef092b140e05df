// TFRecord framing, plain or gzipped: lengths, masked CRC-32Cs, records cut short.
#include "data/tfrecord.h"
#include "fuzz/harness.h"

namespace ganvas::fuzz {

void fuzz_tfrecord(std::string_view bytes) {
    read_tfrecord(as_file(bytes));
}

}  // namespace ganvas::fuzz
