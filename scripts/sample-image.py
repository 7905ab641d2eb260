#!/usr/bin/env python3
"""Writes a colour-gradient PNG: scripts/sample-image.py OUT.png WIDTH HEIGHT

Sample images for ./run.sh --demo without an image tool on the machine (the worker's libvips lives inside its
NuGet package, so there is no `vips` command to make them with).
"""
import struct
import sys
import zlib


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: scripts/sample-image.py OUT.png WIDTH HEIGHT")
    path, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    red = bytes(x * 255 // max(width - 1, 1) for x in range(width))
    blue = bytes([128]) * width
    rows = bytearray()
    for y in range(height):
        row = bytearray(width * 3)
        row[0::3] = red
        row[1::3] = bytes([y * 255 // max(height - 1, 1)]) * width
        row[2::3] = blue
        rows += b"\x00" + row  # filter type 0 (none) per row
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(bytes(rows), 6)) + chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)


if __name__ == "__main__":
    main()
