// tf.Example's protobuf wire format, decoded by hand: varints, lengths, packed and
// unpacked lists, unknown fields.
#include <stdexcept>

#include "data/tf_example.h"
#include "fuzz/harness.h"

namespace ganvas::fuzz {

void fuzz_tf_example(std::string_view bytes) {
    Example example = parse_example(std::string(bytes));
    // What parses must survive the writer: serializing and parsing again changes
    // nothing (compared as bytes, so NaN floats compare equal too).
    std::string once = serialize_example(example);
    std::string twice = serialize_example(parse_example(once));
    if (once != twice) throw std::logic_error("tf.Example does not round-trip");  // a finding
}

}  // namespace ganvas::fuzz
