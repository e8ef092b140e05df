// TFRecord files: TensorFlow's container of records (usually serialized tf.Example).
//
// Each record is
//   uint64  length              little-endian
//   uint32  masked CRC-32C of the 8 length bytes
//   byte    data[length]
//   uint32  masked CRC-32C of data
// (tensorflow/core/lib/io/record_writer.cc). A file written with TensorFlow's GZIP
// option is the same stream gzipped; both read the same way here.
#pragma once

#include <string>
#include <vector>

namespace ganvas {

// Every record of the file, checksums verified. Throws std::runtime_error naming the
// file, the record's number and its byte offset for a record cut off by the end of the
// file, a checksum that does not match (a corrupt file, or not a TFRecord file at all)
// or unreadable gzip data. An empty file holds no records.
std::vector<std::string> read_tfrecord(const std::string& path);

// Writes `records` in the layout above, uncompressed and atomically (io/atomic_file.h).
void write_tfrecord(const std::string& path, const std::vector<std::string>& records);

// One record's bytes as they sit in the file: the framing above around `data`.
std::string frame_tfrecord(const std::string& data);

}  // namespace ganvas
