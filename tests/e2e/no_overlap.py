#!/usr/bin/env python3
"""tests/e2e/no_overlap.py FILE.html: fail if two words on one line of a page
overlap (text drawn over text), from `pdftotext -bbox` output. Words on one
line share their baseline (yMax, to half a point); each must start at or
after the end of the word before it (0.5 pt of slack for kerning)."""
import collections
import re
import sys

text = open(sys.argv[1], encoding="utf-8").read()
bad = []
for n, page in enumerate(re.findall(r"<page.*?</page>", text, re.S), 1):
    words = re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', page)
    lines = collections.defaultdict(list)
    for x0, x1, y, w in words:
        lines[round(float(y) * 2) / 2].append((float(x0), float(x1), w))
    for y, ws in lines.items():
        ws.sort()
        for a, b in zip(ws, ws[1:]):
            if b[0] < a[1] - 0.5:
                bad.append("page %d, y %.1f: '%s' overlaps '%s' by %.1f pt" % (n, y, a[2], b[2], a[1] - b[0]))
print("\n".join(bad[:10]))
sys.exit(1 if bad else 0)
