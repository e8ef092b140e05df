#!/usr/bin/env python3
"""Writes assets/demo/products.tfrecord: the small table of product records the
Feature columns panel opens first, and assets/demo/product_colors.txt, the
vocabulary file one of its columns reads.

Each record is a tf.Example with
    brand        bytes_list, one of 20 brands, few of them common, most rare (Zipf)
    category     bytes_list, one of 8 categories (two rare ones the vocabulary leaves out)
    color        bytes_list, one of 7 colours (two not in product_colors.txt)
    price        float_list, in currency units, rounded to cents; depends on category and brand
    rating       float_list, 1.0 to 5.0 in steps of 0.1; missing in about one record of eight
    quantity     int64_list, units sold
    store        int64_list, the store's number, 0 to 4
    tags         bytes_list, 0 to 3 of sale/new/eco/gift/bundle/limited (an empty list when none)
    tag_weights  float_list, one weight per tag (how prominently the tag is shown)
    label        int64_list, 1 if the product was returned, else 0

Python 3's standard library only: the TFRecord framing (masked CRC-32C) and the
protobuf wire format of tf.Example are written out below, so neither TensorFlow nor
protobuf is needed. Features are written in key order and numeric lists packed, as
TensorFlow writes them. Seeded, and only random.random() is drawn from (its stream
is the same in every Python 3), so the files regenerate byte for byte:

    python3 scripts/make_demo_products.py [OUT_DIR]      # default assets/demo

tests/core/data/test_demo_products.cpp reads the shipped file back and checks what
this docstring says, and regenerates it when python3 is present.
"""
import math
import pathlib
import random
import struct
import sys

SEED = 22
RECORDS = 300

BRANDS = ["Acme", "Birch", "Cobalt", "Dunmore", "Elara", "Fjord", "Gallo", "Halcyon",
          "Ionic", "Juniper", "Kestrel", "Lumen", "Marlow", "Nimbus", "Orchid", "Pennant",
          "Quill", "Rowan", "Sable", "Tundra"]
# Category, its typical price, and how often it sells (relative).
CATEGORIES = [("shoes", 80.0, 6), ("shirts", 30.0, 8), ("jackets", 120.0, 4), ("bags", 60.0, 4),
              ("hats", 20.0, 3), ("socks", 8.0, 5), ("watches", 200.0, 1), ("toys", 15.0, 1)]
COLORS = [("black", 6), ("white", 5), ("blue", 4), ("red", 3), ("grey", 3), ("orange", 1),
          ("teal", 1)]
COLOR_VOCABULARY = ["black", "white", "blue", "red", "grey"]  # orange and teal fall outside
TAGS = ["sale", "new", "eco", "gift", "bundle", "limited"]
STORES = 5


# ---- CRC-32C and TFRecord framing (tensorflow/core/lib/io/record_writer.cc) ----

def _crc32c_table():
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_CRC_TABLE = _crc32c_table()


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc = _CRC_TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def masked_crc32c(data):
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def frame_record(data):
    length = struct.pack("<Q", len(data))
    return (length + struct.pack("<I", masked_crc32c(length)) + data +
            struct.pack("<I", masked_crc32c(data)))


# ---- protobuf wire format of tf.Example (tensorflow/core/example/*.proto) ----

def varint(v):
    v &= 0xFFFFFFFFFFFFFFFF  # negative int64s are ten bytes, as protobuf writes them
    out = bytearray()
    while True:
        byte = v & 0x7F
        v >>= 7
        if v:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def length_field(field, payload):
    return varint(field << 3 | 2) + varint(len(payload)) + payload


def feature(value):
    """A Feature holding one list: bytes for str, floats for float, int64s for int."""
    kind, values = value
    if kind == "bytes":
        body = b"".join(length_field(1, v.encode("utf-8")) for v in values)
        return length_field(1, body)
    if kind == "floats":
        packed = b"".join(struct.pack("<f", v) for v in values)
        return length_field(2, length_field(1, packed) if packed else b"")
    packed = b"".join(varint(v) for v in values)
    return length_field(3, length_field(1, packed) if packed else b"")


def example(features):
    body = b""
    for key in sorted(features):
        entry = length_field(1, key.encode("utf-8")) + length_field(2, feature(features[key]))
        body += length_field(1, entry)
    return length_field(1, body)


# ---- the products ----

def pick(rng, weighted):
    """One item of [(item, weight), ...], drawn with one rng.random()."""
    total = sum(w for _, w in weighted)
    x = rng.random() * total
    for item, w in weighted:
        x -= w
        if x < 0:
            return item
    return weighted[-1][0]


def normal(rng):
    """A standard normal draw (Box–Muller), from rng.random() alone."""
    u1 = 1.0 - rng.random()  # in (0, 1], so the log is finite
    u2 = rng.random()
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)


def product(rng):
    brand_rank = pick(rng, [(k, 1.0 / (k + 1) ** 1.2) for k in range(len(BRANDS))])
    category, base_price, _ = pick(rng, [(c, c[2]) for c in CATEGORIES])
    # Rarer brands are the dearer ones: up to 60 % above the category's price.
    premium = 1.0 + 0.6 * brand_rank / (len(BRANDS) - 1)
    price = round(base_price * premium * math.exp(0.35 * normal(rng)), 2)
    rating = min(5.0, max(1.0, round(3.9 + 0.8 * normal(rng), 1)))
    has_rating = rng.random() >= 0.125
    quantity = int(round(40.0 * math.exp(0.8 * normal(rng)) * (30.0 / max(price, 5.0)) ** 0.5))
    tags = []
    for _ in range(int(rng.random() * 4)):  # 0 to 3 tags, no tag twice
        tag = TAGS[int(rng.random() * len(TAGS))]
        if tag not in tags:
            tags.append(tag)
    weights = [round(0.1 + 0.9 * rng.random(), 2) for _ in tags]
    returned_chance = 0.05 + (0.25 if has_rating and rating < 3.0 else 0.0)
    record = {
        "brand": ("bytes", [BRANDS[brand_rank]]),
        "category": ("bytes", [category]),
        "color": ("bytes", [pick(rng, COLORS)]),
        "price": ("floats", [price]),
        "quantity": ("ints", [max(quantity, 0)]),
        "store": ("ints", [int(rng.random() * STORES)]),
        "label": ("ints", [1 if rng.random() < returned_chance else 0]),
        # Empty lists rather than absent features, as tf.train.Feature(bytes_list=...)
        # writes them for a product without tags.
        "tags": ("bytes", tags),
        "tag_weights": ("floats", weights),
    }
    if has_rating:
        record["rating"] = ("floats", [rating])
    return record


def main():
    root = pathlib.Path(__file__).resolve().parent.parent
    out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else root / "assets" / "demo"
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    records = [example(product(rng)) for _ in range(RECORDS)]
    (out / "products.tfrecord").write_bytes(b"".join(frame_record(r) for r in records))
    (out / "product_colors.txt").write_text("".join(c + "\n" for c in COLOR_VOCABULARY))
    print(f"wrote {len(records)} records to {out / 'products.tfrecord'}")


if __name__ == "__main__":
    main()
