// TensorBoard event files past their framing: the bytes are Events one after another
// (split_records' 2-byte lengths), framed here with valid checksums so the fuzzer
// reaches the protobuf decoder and the reader's sorting of values into scalars,
// images and text (a tag's plugin remembered from its first event) rather than
// stopping at a CRC, which the tfrecord target covers.
#include <stdexcept>

#include "data/tensorboard_reader.h"
#include "data/tfrecord.h"
#include "fuzz/harness.h"

namespace ganvas::fuzz {

void fuzz_tensorboard(std::string_view bytes) {
    std::string file;
    for (const std::string& record : split_records(bytes)) file += frame_tfrecord(record);
    TensorBoardRun run;
    read_event_file(as_file(file), run);
    if (!run.warnings.empty()) throw std::runtime_error(run.warnings[0]);
}

}  // namespace ganvas::fuzz
