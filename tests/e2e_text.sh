# Text pasted from Word or the web, and a clinic's block address (sourced by
# tests/run.sh after e2e.sh): a copy of the project with a clinic whose
# address is a YAML block (`|`) and whose own safety text, a handout's title,
# subtitle, heading, body and figure labels carry invisible characters (soft
# hyphens, zero-width spaces, word joiners, byte-order marks, (non-)joiners,
# direction marks). The PDF's text, as pdftotext reads it, must have none of
# them and read naturally; a hyphen is drawn only where a line breaks at a
# soft hyphen; the address keeps its lines.
H=${HANDOUT_SAN:-bin/handout-san}
TX=$(mktemp -d)
cp -r content templates "$TX/" && ln -s "$PWD/fonts" "$TX/fonts"
python3 - "$TX" <<'PY'
import hashlib, os, sys
root = sys.argv[1]
SHY, ZW, WJ, BOM, LRM, RLM, ZWJ, ZWNJ = "\u00ad", "\u200b", "\u2060", "\ufeff", "\u200e", "\u200f", "\u200d", "\u200c"
def w(path, text):
    os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
    open(os.path.join(root, path), "w", encoding="utf-8").write(text)
long_words = " ".join(["in" + SHY + "flam" + SHY + "ma" + SHY + "tion and medi" + SHY + "ca" + SHY + "tion"] * 8)
safety = f"Call us at once if the dizzi{SHY}ness or the in{SHY}flam{SHY}ma{SHY}tion lasts more than an hour, or you feel un{WJ}well: {long_words}.\n"
w("templates/safety/lines-note.yaml",
  "id: lines-note\nversion: 1\nsha256: %s\ntitle: After your visit\ntext: |\n  %s" % (hashlib.sha256(safety.encode()).hexdigest(), safety))
w("content/clinics/lines.yaml", """id: lines
name: Lines Pain Clinic
colours: { primary: "#5b2a86", accent: "#a3206b", text: "#222222" }
font: liberation-sans
contact:
  address: |
    400 Summit Avenue
    Suite 2
    Lakeview
  phone: 555-0120
  web: https://lines.example
qr: true
language: en
safety: [lines-note]
""")
body = " ".join(["anti" + SHY + "inflam" + SHY + "ma" + SHY + "tory medi" + SHY + "ca" + SHY + "tion"] * 12)
w("content/handouts/pasted.yaml", f"""id: pasted
title: {BOM}Pasted{LRM} text with{WJ} marks
subtitle: Soft{SHY}hyphen and zero{ZW}width
language: en
template: standard
clinic: lines
topic: ketamine
reviewed: 2026-10-15
review-by: 2027-10-15
sections:
  - markdown: |
      ## Head{SHY}ing with{RLM} marks

      Soft{SHY}hyphen here{SHY} now. Word{WJ}joiner and BOM{BOM}inside, z{ZWNJ}w{ZWJ}j, left{LRM}mark right{RLM}mark.
      {body}
      https://example.org/a/very/long/{ZW}path/{ZW}with/{ZW}zero/{ZW}width/{ZW}spaces/{ZW}between/{ZW}its/{ZW}many/{ZW}parts/{ZW}index.html
  - figure: pasted/fig.yaml
""")
w("content/handouts/pasted/fig.yaml", f"""title: How long{LRM} it{SHY} lasts
alt: A chart.
caption: Each{WJ} bar shows a range{ZW} of times.
axis: {{ from: 10 minutes, to: 3 months }}
lanes:
  - label: One{RLM} session
    note: Many{SHY} last about 4 hours
    typical: 40 minutes to 4 hours
markers:
  - {{ label: 5-day{ZWJ} plan, at: 5 days }}
""")
PY
check "pasted text: builds, its safety text proven on page 1" "$H" build -q --root "$TX" -o "$TX/out" "$TX/content/handouts/pasted.yaml"
pdftotext "$TX/out/pasted.pdf" "$TX/t.txt" 2>/dev/null
check "pasted text: the PDF's title and subject have no invisible characters" sh -c "pdfinfo '$TX/out/pasted.pdf' | grep -qx 'Title: *Pasted text with marks' && pdfinfo '$TX/out/pasted.pdf' | grep -qx 'Subject: *Softhyphen and zerowidth'"
pdftotext -layout "$TX/out/pasted.pdf" "$TX/l.txt" 2>/dev/null
check "pasted text: no invisible character in the PDF's text" python3 - "$TX/t.txt" "$TX/l.txt" <<'PY'
import re, sys
for f in sys.argv[1:]:
    t = open(f, encoding="utf-8").read()
    bad = re.findall("[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]", t)
    if bad:
        sys.exit("%s: %s" % (f, ", ".join(sorted("U+%04X" % ord(c) for c in set(bad)))))
PY
check "pasted text: reads naturally, in order (title, safety text, heading, body, figure)" python3 - "$TX/t.txt" <<'PY'
import re, sys
t = re.sub(r"\s+", " ", open(sys.argv[1], encoding="utf-8").read())
pos = 0
for w in ["Pasted text with marks", "Softhyphen and zerowidth",
          "Call us at once if the dizziness or the inflammation lasts more than an hour, or you feel unwell:",
          "Heading with marks", "Softhyphen here now. Wordjoiner and BOMinside, zwj, leftmark rightmark.",
          "How long it lasts", "5-day plan", "One session", "Many last about 4 hours", "Each bar shows a range of times."]:
    i = t.find(w, pos)
    if i < 0:
        sys.exit("missing or out of order: %r" % w)
    pos = i + len(w)
# pdftotext joins a line that ends in a hyphen with the next: every word whole
for word, n in (("antiinflammatory", 12), ("inflammation", 9)):
    if t.count(word) != n:
        sys.exit("%r %d times, want %d" % (word, t.count(word), n))
if "https://example.org/a/very/long/path/with/zero/width/spaces/between/its/many/parts/index.html" not in t.replace(" ", ""):
    sys.exit("the address is not whole")
PY
check "pasted text: a hyphen only at the end of a line that broke at a soft hyphen; a zero-width space breaks at a /" python3 - "$TX/l.txt" <<'PY'
import re, sys
lines = [l.rstrip() for l in open(sys.argv[1], encoding="utf-8")]
parts = r"(?:anti|inflam|ma|tory|medi|ca|tion|flam|dizzi|ness|Soft|hyphen|here|Head|ing|it)"
mid = [l for l in lines if re.search(parts + "-" + r"[a-z]", l) or re.search(r"\b(?:here|it)- ", l)]
if mid:
    sys.exit("a hyphen inside a line: %r" % mid[:3])
ends = [l for l in lines if re.search(r"[a-z]-$", l)]
if len(ends) < 2:
    sys.exit("no line breaks at a soft hyphen: %r" % lines)
url = [l.strip() for l in lines if "example.org" in l or "index.html" in l]
if len(url) < 2 or not all(l.endswith("/") for l in url[:-1]):
    sys.exit("the long address did not break at a zero-width space: %r" % url)
PY
check "contact box: a block address keeps its lines" python3 - "$TX/out/pasted.pdf" <<'PY'
import subprocess, sys
pages = int([l for l in subprocess.run(["pdfinfo", sys.argv[1]], capture_output=True, text=True).stdout.splitlines() if l.startswith("Pages:")][0].split()[1])
t = subprocess.run(["pdftotext", "-f", str(pages), "-l", str(pages), sys.argv[1], "-"], capture_output=True, text=True).stdout
lines = [l.strip() for l in t.splitlines()]
i = lines.index("Phone: 555-0120") if "Phone: 555-0120" in lines else -1
if lines[i + 1:i + 4] != ["400 Summit Avenue", "Suite 2", "Lakeview"]:
    sys.exit("contact box reads %r" % lines[i:i + 5])
PY
check "contact box: each line of a block address is a paragraph of its own for screen readers" python3 - "$TX/out/pasted.pdf" <<'PY'
import re, subprocess, sys
t = subprocess.run(["pdfinfo", "-struct-text", sys.argv[1]], capture_output=True, text=True).stdout
# each address line is the only text of its P element
for line in ["400 Summit Avenue", "Suite 2", "Lakeview"]:
    if not re.search(r'P \(block\)\n\s*"%s"\n' % re.escape(line), t):
        sys.exit("%r is not a paragraph of its own:\n%s" % (line, t[t.find("Summit") - 200:t.find("Summit") + 200]))
PY
rm -rf "$TX"
