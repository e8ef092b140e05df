// TFRecord files: TensorFlow's container of records (usually serialized tf.Example).
//
// Each record is
//   uint64  length              little-endian
//   uint32  masked CRC-32C of the 8 length bytes
//   byte    data[length]
//   uint32  masked CRC-32C of data
// (tensorflow/core/lib/io/record_writer.cc). A file written with TensorFlow's GZIP
// option is the same stream gzipped, one written with its ZLIB option the same stream
// in a zlib wrapper (RFC 1950); all three read the same way here.
#pragma once

#include <string>
#include <vector>

namespace ganvas {

// Every record of the file, checksums verified. Throws std::runtime_error naming the
// file, the record's number and its byte offset for a record cut off by the end of the
// file, a checksum that does not match (a corrupt file, or not a TFRecord file at all)
// or unreadable compressed data. An empty file holds no records.
std::vector<std::string> read_tfrecord(const std::string& path);

// The records before the first damage, and what the damage is: for logs read while
// they are written (a TensorBoard event file) or after a crash, where the whole
// records are worth having. Offsets in a compressed file count decompressed bytes.
struct TFRecordScan {
    std::vector<std::string> records;
    std::string damage;      // "" when the whole file read; else read_tfrecord's message
    uint64_t damage_at = 0;  // byte offset of the damaged record
};
// Throws std::runtime_error only when the file cannot be opened.
TFRecordScan scan_tfrecord(const std::string& path);

// Writes `records` in the layout above, uncompressed and atomically (io/atomic_file.h).
void write_tfrecord(const std::string& path, const std::vector<std::string>& records);

// One record's bytes as they sit in the file: the framing above around `data`.
std::string frame_tfrecord(const std::string& data);

}  // namespace ganvas
