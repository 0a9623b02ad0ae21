#!/usr/bin/env python3
"""Small batch datasets for the cluster tests (standard library only).

  batch_dataset.py make DIR COUNT WIDTH HEIGHT   # DIR/item_NN.png + DIR/item_NN.disp.png
  batch_dataset.py shard-ids DIR COUNT INDEX     # ids of DIR's items in shard INDEX of COUNT

The photos are random-texture RGB PNGs (so that each item costs the engine real work) and the
disparity maps 8-bit PNGs in pixels (a ramp from 4 to 36 px across the image). The shard of an
id is FNV-1a 64 of the id modulo COUNT, as core/batch/sharding.cpp computes it.
"""
import os
import struct
import sys
import zlib


def write_png(path, width, height, channels, row_of):
    colour_type = {1: 0, 3: 2}[channels]
    raw = b"".join(b"\x00" + row_of(y) for y in range(height))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 1)) + chunk(b"IEND", b""))
    tmp = path + ".tmp"
    with open(tmp, "wb") as out:
        out.write(data)
    os.replace(tmp, path)


def make(folder, count, width, height):
    os.makedirs(folder, exist_ok=True)
    disparity_row = bytes(4 + (32 * x) // width for x in range(width))
    for i in range(count):
        stem = os.path.join(folder, "item_%02d" % i)
        write_png(stem + ".png", width, height, 3, lambda y: os.urandom(width * 3))
        write_png(stem + ".disp.png", width, height, 1, lambda y: disparity_row)


def fnv1a64(text):
    value = 14695981039346656037
    for byte in text.encode("utf-8"):
        value ^= byte
        value = (value * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return value


def shard_ids(folder, count, index):
    ids = sorted(name[:-4] for name in os.listdir(folder)
                 if name.endswith(".png") and not name.endswith(".disp.png"))
    return [i for i in ids if fnv1a64(i) % count == index]


def main(argv):
    if len(argv) == 6 and argv[1] == "make":
        make(argv[2], int(argv[3]), int(argv[4]), int(argv[5]))
    elif len(argv) == 5 and argv[1] == "shard-ids":
        print("\n".join(shard_ids(argv[2], int(argv[3]), int(argv[4]))))
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
