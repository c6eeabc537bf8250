"""Minimal PNG encoder (zlib + struct) for the fake image models: no Pillow needed."""

from __future__ import annotations

import random
import struct
import zlib


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def encode_rgb(width: int, height: int, pixels: bytes) -> bytes:
    """Encode 8-bit RGB rows (``width * height * 3`` bytes) as a PNG file."""
    if len(pixels) != width * height * 3:
        raise ValueError("pixel buffer does not match the image size")
    stride = width * 3
    raw = b"".join(b"\x00" + pixels[y * stride : (y + 1) * stride] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 6))
        + _chunk(b"IEND", b"")
    )


def gradient(width: int, height: int, seed: int) -> bytes:
    """A deterministic two-colour diagonal gradient: distinct per seed, cheap to compress."""
    rng = random.Random(seed)
    start = [rng.randrange(256) for _ in range(3)]
    end = [rng.randrange(256) for _ in range(3)]
    span = max(1, width + height - 2)
    row = bytearray()
    out = bytearray()
    for y in range(height):
        row.clear()
        for x in range(width):
            t = (x + y) / span
            row.extend(int(s + (e - s) * t) for s, e in zip(start, end, strict=True))
        out.extend(row)
    return encode_rgb(width, height, bytes(out))
