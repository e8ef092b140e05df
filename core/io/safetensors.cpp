#include "io/safetensors.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "io/atomic_file.h"
#include "io/printable.h"
#include "io/regular_file.h"
#include "tensor/limits.h"

// Tensor bytes go straight between memory and disk; safetensors is little-endian.
static_assert(std::endian::native == std::endian::little, "safetensors I/O assumes little-endian");

namespace ganvas {

namespace {

using json = nlohmann::json;

constexpr uint64_t kMaxHeaderBytes = 100'000'000;  // the reference implementation's limit
constexpr const char* kMetadataKey = "__metadata__";

[[noreturn]] void fail(const std::string& path, const std::string& problem) {
    throw std::runtime_error(path + ": " + problem);
}

const char* dtype_code(DType d) {
    return d == DType::f32 ? "F32" : "I64";
}

// One tensor's entry in the header, checked against the data section.
struct Entry {
    std::string name;
    DType dtype;
    Shape shape;
    uint64_t begin = 0, end = 0;
};

// Reads a non-negative JSON integer, or fails naming what it was meant to be.
uint64_t read_count(const json& v, const std::string& path, const std::string& what) {
    if (!v.is_number_unsigned()) fail(path, what + " is not a non-negative integer");
    return v.get<uint64_t>();
}

Entry parse_entry(const std::string& name, const json& j, uint64_t data_start, uint64_t data_size,
                  const std::string& path) {
    const std::string where = "tensor '" + printable(name) + "'";
    if (!j.is_object() || !j.contains("dtype") || !j.contains("shape") ||
        !j.contains("data_offsets"))
        fail(path, where + " lacks one of \"dtype\", \"shape\" and \"data_offsets\"");

    Entry e;
    e.name = name;
    const json& dtype = j["dtype"];
    if (dtype == "F32") {
        e.dtype = DType::f32;
    } else if (dtype == "I64") {
        e.dtype = DType::i64;
    } else {
        fail(path, where + " has dtype " + printable(dtype.dump()) + "; Ganvas reads F32 and I64");
    }

    const json& shape = j["shape"];
    if (!shape.is_array()) fail(path, where + " has a shape that is not a list");
    // Multiply with an overflow check: a hostile shape must not wrap to a small size.
    uint64_t bytes = dtype_size(e.dtype);
    for (const json& d : shape) {
        const uint64_t dim = read_count(d, path, where + "'s shape entry");
        if (dim > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
            fail(path, where + " has an impossibly large dimension");
        e.shape.push_back(static_cast<int64_t>(dim));
        if (dim != 0 && bytes > std::numeric_limits<int64_t>::max() / dim)
            fail(path, where + " has an impossibly large shape");
        bytes *= dim;
    }
    try {
        check_tensor_shape(e.shape);  // while parsing, before any tensor is allocated
    } catch (const std::invalid_argument& err) {
        fail(path, where + ": " + err.what());
    }

    const json& offsets = j["data_offsets"];
    if (!offsets.is_array() || offsets.size() != 2)
        fail(path, where + " needs data_offsets [begin, end]");
    e.begin = read_count(offsets[0], path, where + "'s data_offsets");
    e.end = read_count(offsets[1], path, where + "'s data_offsets");
    if (e.end < e.begin || e.end - e.begin != bytes)
        fail(path, where + " has data_offsets [" + std::to_string(e.begin) + ", " +
                       std::to_string(e.end) + "] but shape " + shape_str(e.shape) + " of " +
                       dtype_code(e.dtype) + " needs " + std::to_string(bytes) + " bytes");
    if (e.end > data_size)
        fail(path, where + " ends at data byte " + std::to_string(e.end) + " (file byte " +
                       std::to_string(data_start + e.end) + "), past the data section of " +
                       std::to_string(data_size) + " bytes that ends at file byte " +
                       std::to_string(data_start + data_size));
    return e;
}

StringMap parse_metadata(const json& j, const std::string& path) {
    if (!j.is_object()) fail(path, "__metadata__ is not a JSON object");
    StringMap out;
    for (const auto& [key, value] : j.items()) {
        if (!value.is_string())
            fail(path, "__metadata__ entry '" + printable(key) + "' is not a string");
        out[key] = value.get<std::string>();
    }
    return out;
}

// The spec asks the data to be covered exactly once: no overlaps (two tensors sharing
// bytes) and no holes (room for a second, hidden payload), ending where the file ends.
void check_layout(std::vector<Entry>& entries, uint64_t data_start, uint64_t data_size,
                  const std::string& path) {
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
        return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
    });
    uint64_t expected = 0;
    const Entry* previous = nullptr;
    for (const Entry& e : entries) {
        if (e.begin < expected)
            fail(path, "tensor '" + printable(e.name) + "' overlaps tensor '" +
                           printable(previous->name) + "' at file byte " +
                           std::to_string(data_start + e.begin));
        if (e.begin > expected)
            fail(path, "there is a hole of " + std::to_string(e.begin - expected) +
                           " bytes before tensor '" + printable(e.name) + "' (from file byte " +
                           std::to_string(data_start + expected) + ")");
        expected = e.end;
        previous = &e;
    }
    if (expected != data_size)
        fail(path, std::to_string(data_size - expected) +
                       " bytes after the last tensor (from file byte " +
                       std::to_string(data_start + expected) + ") belong to no tensor");
}

}  // namespace

void save_safetensors(const std::string& path, const NamedTensors& tensors,
                      const StringMap& metadata) {
    json header = json::object();
    std::set<std::string> seen;
    uint64_t offset = 0;
    std::vector<Tensor> host;  // device tensors read back once, before the file is opened
    host.reserve(tensors.size());
    for (const auto& [name, t] : tensors) {
        const std::string where = "cannot save tensor '" + name + "'";
        if (name == kMetadataKey) fail(path, where + ": the name is reserved");
        if (!seen.insert(name).second) fail(path, where + ": the name appears twice");
        if (!t.defined()) fail(path, where + ": it is undefined");
        host.push_back(t.to(Device::cpu));
        const uint64_t bytes = static_cast<uint64_t>(t.numel()) * dtype_size(t.dtype());
        header[name] = {{"dtype", dtype_code(t.dtype())},
                        {"shape", t.shape()},
                        {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
    }
    if (!metadata.empty()) header[kMetadataKey] = metadata;

    // Pad to 8 bytes with spaces, like the Rust and Python writers, so data stays aligned.
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' ');
    unsigned char length[8];
    for (int i = 0; i < 8; ++i) length[i] = static_cast<unsigned char>(text.size() >> (8 * i));

    write_file_atomic(path, [&](std::ostream& out) {
        out.write(reinterpret_cast<const char*>(length), 8);
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        for (const Tensor& t : host)
            out.write(static_cast<const char*>(t.raw()),
                      static_cast<std::streamsize>(t.numel() * dtype_size(t.dtype())));
    });
}

SafetensorsFile read_safetensors(const std::string& path) {
    if (const std::string why = why_not_readable(path); !why.empty())
        fail(path, "cannot open: " + why);
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) fail(path, std::string("cannot open: ") + std::strerror(errno));
    const uint64_t file_size = static_cast<uint64_t>(in.tellg());
    in.seekg(0);

    unsigned char length[8];
    if (file_size < 8 || !in.read(reinterpret_cast<char*>(length), 8))
        fail(path, "too short to be a safetensors file (" + std::to_string(file_size) + " bytes)");
    if (std::memcmp(length, "\x93NUMPY", 6) == 0)
        fail(path,
             "this is a NumPy .npy file, not a safetensors checkpoint (a run's "
             "checkpoint.safetensors, written by ganvas train)");
    uint64_t header_size = 0;
    for (int i = 7; i >= 0; --i) header_size = (header_size << 8) | length[i];
    if (header_size > kMaxHeaderBytes)
        fail(path, "header length " + std::to_string(header_size) +
                       " is over the 100 MB limit, so this is not a safetensors file");
    if (header_size > file_size - 8)
        fail(path, "header length " + std::to_string(header_size) +
                       " runs past the end of the file (" + std::to_string(file_size) + " bytes)");
    const uint64_t data_size = file_size - 8 - header_size;

    std::string text(header_size, '\0');
    in.read(text.data(), static_cast<std::streamsize>(header_size));
    json header;
    try {
        header = json::parse(text);
    } catch (const json::exception& e) {
        fail(path, std::string("invalid JSON header (") + e.what() + ")");
    }
    if (!header.is_object()) fail(path, "the JSON header is not an object");

    SafetensorsFile file;
    std::vector<Entry> entries;
    for (const auto& [name, value] : header.items()) {
        if (name == kMetadataKey)
            file.metadata = parse_metadata(value, path);
        else
            entries.push_back(parse_entry(name, value, 8 + header_size, data_size, path));
    }
    check_layout(entries, 8 + header_size, data_size, path);

    // Entries are now in data order and contiguous, so the reads are sequential.
    for (const Entry& e : entries) {
        Tensor t = Tensor::empty(e.shape, e.dtype);
        in.read(static_cast<char*>(t.raw()), static_cast<std::streamsize>(e.end - e.begin));
        file.tensors.emplace_back(e.name, std::move(t));
    }
    if (!in) fail(path, "read error while loading tensor data");
    return file;
}

NamedTensors load_safetensors(const std::string& path) {
    return read_safetensors(path).tensors;
}

std::map<std::string, Tensor> load_safetensors_map(const std::string& path) {
    std::map<std::string, Tensor> out;
    for (auto& [name, t] : read_safetensors(path).tensors) out.emplace(name, std::move(t));
    return out;
}

}  // namespace ganvas
