#!/usr/bin/env python3
"""Remake the example clinic logos with nothing but the Python standard library.

    python3 content/clinics/logos/make-logos.py

writes, next to this script:

  riverside.png  600 x 180 RGBA PNG: a blue disc with a white river wave and
                 the clinic name, on a transparent background (soft edges).
  harbour.jpg    600 x 180 baseline JPEG (YCbCr 4:4:4): a green harbour arch
                 over waves and the clinic name, on white (JPEG has no alpha).

The PNG is written with zlib + struct. There is no JPEG encoder in the
standard library, so a small baseline one is below (the standard tables from
ITU T.81 Annex K, separable float DCT, no subsampling).
All the clinics are fictional; so are the logos.
"""

import math
import os
import struct
import zlib

W, H = 600, 180
HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------- drawing

# A 5 x 7 pixel font, just the capitals the logos need.
FONT = {
    "A": ["01110", "10001", "10001", "11111", "10001", "10001", "10001"],
    "B": ["11110", "10001", "10001", "11110", "10001", "10001", "11110"],
    "C": ["01111", "10000", "10000", "10000", "10000", "10000", "01111"],
    "D": ["11110", "10001", "10001", "10001", "10001", "10001", "11110"],
    "E": ["11111", "10000", "10000", "11110", "10000", "10000", "11111"],
    "H": ["10001", "10001", "10001", "11111", "10001", "10001", "10001"],
    "I": ["11111", "00100", "00100", "00100", "00100", "00100", "11111"],
    "L": ["10000", "10000", "10000", "10000", "10000", "10000", "11111"],
    "N": ["10001", "11001", "10101", "10011", "10001", "10001", "10001"],
    "O": ["01110", "10001", "10001", "10001", "10001", "10001", "01110"],
    "P": ["11110", "10001", "10001", "11110", "10000", "10000", "10000"],
    "R": ["11110", "10001", "10001", "11110", "10100", "10010", "10001"],
    "S": ["01111", "10000", "10000", "01110", "00001", "00001", "11110"],
    "U": ["10001", "10001", "10001", "10001", "10001", "10001", "01110"],
    "V": ["10001", "10001", "10001", "10001", "10001", "01010", "00100"],
    " ": ["00000"] * 7,
}


def text_mask(text, x0, y0, scale):
    """Set of (x, y) pixels covered by `text` in the pixel font."""
    pts = set()
    x = x0
    for ch in text:
        rows = FONT[ch]
        for j, row in enumerate(rows):
            for i, bit in enumerate(row):
                if bit == "1":
                    for dy in range(scale):
                        for dx in range(scale):
                            pts.add((x + i * scale + dx, y0 + j * scale + dy))
        x += 6 * scale
    return pts


def render(layers, background):
    """Paint layers over `background` (r, g, b, a) and return rows of RGBA.

    Each layer is (colour, inside) where inside(x, y) takes a point in pixel
    units; edges are smoothed with 4 x 4 supersampling inside a bounding box.
    """
    img = [[list(background) for _ in range(W)] for _ in range(H)]
    offs = [(i + 0.5) / 4 for i in range(4)]
    for colour, inside, box in layers:
        bx0, by0, bx1, by1 = box
        for y in range(max(0, by0), min(H, by1)):
            row = img[y]
            for x in range(max(0, bx0), min(W, bx1)):
                n = 0
                for oy in offs:
                    for ox in offs:
                        if inside(x + ox, y + oy):
                            n += 1
                if n == 0:
                    continue
                cov = n / 16.0
                src_a = cov * colour[3] / 255.0
                dst = row[x]
                dst_a = dst[3] / 255.0
                out_a = src_a + dst_a * (1 - src_a)
                for k in range(3):
                    if out_a > 0:
                        dst[k] = round(
                            (colour[k] * src_a + dst[k] * dst_a * (1 - src_a)) / out_a
                        )
                dst[3] = round(out_a * 255)
    return img


def paint_pixels(img, pts, colour):
    for x, y in pts:
        if 0 <= x < W and 0 <= y < H:
            img[y][x] = list(colour)


# ---------------------------------------------------------------- PNG


def write_png(path, img):
    raw = bytearray()
    for row in img:
        raw.append(0)  # filter: none
        for px in row:
            raw.extend(px)

    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", W, H, 8, 6, 0, 0, 0)  # 8-bit RGBA
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
    data += chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(data)
    return len(data)


# ---------------------------------------------------------------- JPEG

ZIGZAG = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
    12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
    35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
    58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
]

# Annex K.1 quantisation tables, natural (row-major) order.
Q_LUM = [
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
    14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
    18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
    49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
]
Q_CHR = [
    17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99,
    24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
] + [99] * 32

# Annex K.3 Huffman tables: (counts of codes of length 1..16, symbols).
DC_LUM = ([0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0], list(range(12)))
DC_CHR = ([0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0], list(range(12)))
AC_LUM = (
    [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7D],
    [
        0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06,
        0x13, 0x51, 0x61, 0x07, 0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xA1, 0x08,
        0x23, 0x42, 0xB1, 0xC1, 0x15, 0x52, 0xD1, 0xF0, 0x24, 0x33, 0x62, 0x72,
        0x82, 0x09, 0x0A, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x25, 0x26, 0x27, 0x28,
        0x29, 0x2A, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A, 0x43, 0x44, 0x45,
        0x46, 0x47, 0x48, 0x49, 0x4A, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59,
        0x5A, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x73, 0x74, 0x75,
        0x76, 0x77, 0x78, 0x79, 0x7A, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
        0x8A, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0xA2, 0xA3,
        0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6,
        0xB7, 0xB8, 0xB9, 0xBA, 0xC2, 0xC3, 0xC4, 0xC5, 0xC6, 0xC7, 0xC8, 0xC9,
        0xCA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xD9, 0xDA, 0xE1, 0xE2,
        0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEA, 0xF1, 0xF2, 0xF3, 0xF4,
        0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0xFA,
    ],
)
AC_CHR = (
    [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77],
    [
        0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41,
        0x51, 0x07, 0x61, 0x71, 0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91,
        0xA1, 0xB1, 0xC1, 0x09, 0x23, 0x33, 0x52, 0xF0, 0x15, 0x62, 0x72, 0xD1,
        0x0A, 0x16, 0x24, 0x34, 0xE1, 0x25, 0xF1, 0x17, 0x18, 0x19, 0x1A, 0x26,
        0x27, 0x28, 0x29, 0x2A, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A, 0x43, 0x44,
        0x45, 0x46, 0x47, 0x48, 0x49, 0x4A, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58,
        0x59, 0x5A, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x73, 0x74,
        0x75, 0x76, 0x77, 0x78, 0x79, 0x7A, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
        0x88, 0x89, 0x8A, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A,
        0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xB2, 0xB3, 0xB4,
        0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBA, 0xC2, 0xC3, 0xC4, 0xC5, 0xC6, 0xC7,
        0xC8, 0xC9, 0xCA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xD9, 0xDA,
        0xE2, 0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEA, 0xF2, 0xF3, 0xF4,
        0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0xFA,
    ],
)


def huff_codes(table):
    """Canonical Huffman codes: symbol -> (code, length)."""
    counts, symbols = table
    codes, code, k = {}, 0, 0
    for length in range(1, 17):
        for _ in range(counts[length - 1]):
            codes[symbols[k]] = (code, length)
            code += 1
            k += 1
        code <<= 1
    return codes


def scaled_quant(base, quality):
    s = 5000 / quality if quality < 50 else 200 - 2 * quality
    return [min(255, max(1, (q * s + 50) // 100)) for q in base]


COS = [[math.cos((2 * x + 1) * u * math.pi / 16) for x in range(8)] for u in range(8)]
CU = [math.sqrt(0.5) if u == 0 else 1.0 for u in range(8)]


def fdct(block):
    """2-D DCT-II of an 8 x 8 block (list of 64, level-shifted), row-major."""
    tmp = [0.0] * 64
    for y in range(8):
        row = block[y * 8:y * 8 + 8]
        for u in range(8):
            c = COS[u]
            tmp[y * 8 + u] = 0.5 * CU[u] * sum(row[x] * c[x] for x in range(8))
    out = [0.0] * 64
    for u in range(8):
        col = [tmp[y * 8 + u] for y in range(8)]
        for v in range(8):
            c = COS[v]
            out[v * 8 + u] = 0.5 * CU[v] * sum(col[y] * c[y] for y in range(8))
    return out


class BitWriter:
    def __init__(self):
        self.out = bytearray()
        self.acc = 0
        self.n = 0

    def put(self, code, length):
        self.acc = (self.acc << length) | code
        self.n += length
        while self.n >= 8:
            self.n -= 8
            b = (self.acc >> self.n) & 0xFF
            self.out.append(b)
            if b == 0xFF:
                self.out.append(0)  # byte stuffing
        self.acc &= (1 << self.n) - 1

    def flush(self):
        if self.n:
            self.put((1 << (8 - self.n)) - 1, 8 - self.n)  # pad with 1 bits


def magnitude(v):
    """(size category, bits) for a DC difference or AC value."""
    a = abs(v)
    size = a.bit_length()
    bits = v if v >= 0 else v + (1 << size) - 1
    return size, bits


def write_jpeg(path, img, quality=75):
    qt = [scaled_quant(Q_LUM, quality), scaled_quant(Q_CHR, quality)]
    dc = [huff_codes(DC_LUM), huff_codes(DC_CHR)]
    ac = [huff_codes(AC_LUM), huff_codes(AC_CHR)]

    # Colour conversion (JFIF), with the edge repeated to a multiple of 8.
    pw, ph = (W + 7) // 8 * 8, (H + 7) // 8 * 8
    planes = [[0.0] * (pw * ph) for _ in range(3)]
    for y in range(ph):
        src = img[min(y, H - 1)]
        for x in range(pw):
            r, g, b = src[min(x, W - 1)][:3]
            i = y * pw + x
            planes[0][i] = 0.299 * r + 0.587 * g + 0.114 * b - 128
            planes[1][i] = -0.168736 * r - 0.331264 * g + 0.5 * b
            planes[2][i] = 0.5 * r - 0.418688 * g - 0.081312 * b

    bw = BitWriter()
    pred = [0, 0, 0]
    for by in range(0, ph, 8):
        for bx in range(0, pw, 8):
            for c in range(3):  # interleaved MCU: Y, Cb, Cr
                t = 0 if c == 0 else 1
                p = planes[c]
                block = [p[(by + j) * pw + bx + i] for j in range(8) for i in range(8)]
                coef = fdct(block)
                q = [int(round(coef[ZIGZAG[k]] / qt[t][ZIGZAG[k]])) for k in range(64)]
                diff = q[0] - pred[c]
                pred[c] = q[0]
                size, bits = magnitude(diff)
                bw.put(*dc[t][size])
                if size:
                    bw.put(bits, size)
                run = 0
                for k in range(1, 64):
                    if q[k] == 0:
                        run += 1
                        continue
                    while run > 15:
                        bw.put(*ac[t][0xF0])  # ZRL
                        run -= 16
                    size, bits = magnitude(q[k])
                    bw.put(*ac[t][(run << 4) | size])
                    bw.put(bits, size)
                    run = 0
                if run:
                    bw.put(*ac[t][0x00])  # EOB
    bw.flush()

    def seg(marker, payload):
        return struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload

    out = bytearray(b"\xff\xd8")
    out += seg(0xE0, b"JFIF\x00" + struct.pack(">BBBHHBB", 1, 1, 1, 72, 72, 0, 0))
    for t in range(2):
        out += seg(0xDB, bytes([t]) + bytes(qt[t][ZIGZAG[k]] for k in range(64)))
    out += seg(0xC0, struct.pack(">BHHB", 8, H, W, 3)
               + bytes([1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1]))
    for cls, tid, table in ((0, 0, DC_LUM), (1, 0, AC_LUM), (0, 1, DC_CHR), (1, 1, AC_CHR)):
        out += seg(0xC4, bytes([(cls << 4) | tid]) + bytes(table[0]) + bytes(table[1]))
    out += seg(0xDA, bytes([3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]))
    out += bw.out + b"\xff\xd9"
    with open(path, "wb") as f:
        f.write(out)
    return len(out)


# ---------------------------------------------------------------- the logos


def riverside():
    blue = (0x1D, 0x4F, 0x91, 255)
    teal = (0x00, 0x69, 0x5C, 255)
    white = (255, 255, 255, 255)
    cx, cy, r = 90, 90, 76

    def disc(x, y):
        return (x - cx) ** 2 + (y - cy) ** 2 <= r * r

    def wave(offset):
        def inside(x, y):
            if (x - cx) ** 2 + (y - cy) ** 2 > (r - 6) ** 2:
                return False
            mid = cy + offset + 9 * math.sin((x - cx) / 14.0)
            return abs(y - mid) <= 6
        return inside

    layers = [
        (blue, disc, (cx - r - 1, cy - r - 1, cx + r + 2, cy + r + 2)),
        (white, wave(-14), (cx - r, cy - r, cx + r, cy + r)),
        (white, wave(16), (cx - r, cy - r, cx + r, cy + r)),
    ]
    img = render(layers, (255, 255, 255, 0))  # transparent background
    paint_pixels(img, text_mask("RIVERSIDE", 190, 44, 6), blue)
    paint_pixels(img, text_mask("PAIN CLINIC", 192, 106, 4), teal)
    # A teal underline with soft, fading ends (partial transparency).
    for x in range(192, 560):
        fade = min(1.0, (x - 192) / 40.0, (560 - x) / 40.0)
        for y in range(146, 150):
            img[y][x] = [teal[0], teal[1], teal[2], round(255 * fade)]
    return img


def harbour():
    green = (0x1E, 0x5E, 0x3A, 255)
    brown = (0x8A, 0x4B, 0x08, 255)
    white = (255, 255, 255, 255)

    def arch(x, y):
        # A thick half ring standing on a base line: a harbour arch.
        d = math.hypot(x - 90, y - 110)
        return (44 <= d <= 70 and y <= 110) or (20 <= x <= 160 and 110 <= y <= 122)

    def waves(x, y):
        for base in (138, 158):
            mid = base + 5 * math.sin(x / 9.0)
            if abs(y - mid) <= 3.5 and 16 <= x <= 164:
                return True
        return False

    layers = [
        (green, arch, (10, 30, 170, 130)),
        (brown, waves, (10, 125, 170, 170)),
    ]
    img = render(layers, white)
    paint_pixels(img, text_mask("HARBOUR", 196, 40, 7), green)
    paint_pixels(img, text_mask("PAIN SERVICE", 198, 112, 4), brown)
    return img


def main():
    n = write_png(os.path.join(HERE, "riverside.png"), riverside())
    print("riverside.png", n, "bytes")
    n = write_jpeg(os.path.join(HERE, "harbour.jpg"), harbour())
    print("harbour.jpg", n, "bytes")


if __name__ == "__main__":
    main()
