# Accessibility checks on real PDFs (sourced by tests/run.sh after e2e.sh):
# every example and the showcase fixture must be a tagged PDF whose
# structure tree (pdfinfo -struct-text, qpdf --json) has the right elements
# in reading order, with the document language, DisplayDocTitle, figures'
# alternative text, the safety box as a titled section, header and footer
# kept out of the tree, and ToUnicode maps no PDF tool warns about.
# (veraPDF, the PDF/UA validator, is not packaged for Debian: these checks
# do not prove PDF/UA conformance.)
H=${HANDOUT_SAN:-bin/handout-san}
A=$(mktemp -d)
A11Y_SPECS="$(ls content/handouts/*.yaml | tr '\n' ' ') tests/fixtures/showcase.yaml"

cat > "$A/a11y.py" <<'PY'
"""a11y.py MODE PDF ARGS...: one check on one PDF; exits non-zero with a reason."""
import json, re, subprocess, sys

mode, pdf = sys.argv[1], sys.argv[2]
args = sys.argv[3:]

def run(*cmd):
    # pdfinfo prints a UTF-16 /T as raw bytes
    return subprocess.run(cmd, capture_output=True, text=True, errors="replace")

def load():
    j = json.loads(run("qpdf", "--json=2", "--json-key=qpdf", pdf).stdout)["qpdf"]
    objs = {k[4:]: v.get("value") for k, v in j[1].items() if k.startswith("obj:")}
    return objs, j[1]["trailer"]["value"]

def text(v):  # a qpdf JSON string
    return v[2:] if isinstance(v, str) and v.startswith("u:") else v

def elements(objs):
    """Structure elements in tree order (depth first)."""
    root = objs[objs[trailer["/Root"]]["/StructTreeRoot"]]
    out = []
    def walk(ref):
        e = objs.get(ref)
        if not isinstance(e, dict) or "/S" not in e:
            return
        out.append(e)
        kids = e.get("/K", [])
        for k in kids if isinstance(kids, list) else [kids]:
            if isinstance(k, str) and k.endswith(" R"):
                walk(k)
    walk(root["/K"])
    return out

def words(s):
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return s.split()

def struct_words():
    out = run("pdfinfo", "-struct-text", pdf).stdout
    return words(" ".join(m.group(1) for m in re.finditer(r'^\s*"(.*)"\s*$', out, re.M)))

objs, trailer = load() if mode in ("catalog", "figures", "sect") else (None, None)

if mode == "catalog":  # catalog LANG
    cat = objs[trailer["/Root"]]
    assert text(cat.get("/Lang")) == args[0], "Lang is %r, want %r" % (cat.get("/Lang"), args[0])
    assert cat.get("/ViewerPreferences", {}).get("/DisplayDocTitle") is True, cat.get("/ViewerPreferences")
    assert cat.get("/MarkInfo", {}).get("/Marked") is True, cat.get("/MarkInfo")
    assert "/StructTreeRoot" in cat
elif mode == "figures":  # figures [ALT-YAML]: every Figure has /Alt; with a figure file, its alt text
    figs = [e for e in elements(objs) if e["/S"] == "/Figure"]
    assert figs, "no Figure element"
    for f in figs:
        assert text(f.get("/Alt", "")).strip(), "a Figure without /Alt"
    if args:
        src = open(args[0]).read()
        m = re.search(r"^alt: *>-?\n((?:[ \t]+.*\n?)+)", src, re.M)
        want = " ".join(m.group(1).split())
        alts = [" ".join(text(f["/Alt"]).split()) for f in figs]
        assert want in alts, "figure alt text %r not among %r" % (want[:60], [a[:60] for a in alts])
elif mode == "sect":  # sect TITLE: the safety box is a Sect titled TITLE that starts with its H2
    els = elements(objs)
    sects = [e for e in els if e["/S"] == "/Sect" and text(e.get("/T")) == args[0]]
    assert len(sects) == 1, "Sect titled %r: %d found" % (args[0], len(sects))
    k = sects[0]["/K"]
    first = objs[k[0] if isinstance(k, list) else k]
    assert first["/S"] == "/H2", "the Sect starts with %s" % first["/S"]
elif mode == "order":  # order CLINIC: page 1's text in the tree is pdftotext's order
    page = words(run("pdftotext", "-f", "1", "-l", "1", pdf, "-").stdout)
    tree = struct_words()
    band = words(args[0])  # the title band (an artifact) comes first in pdftotext
    assert page[:len(band)] == band, "page 1 does not start with the clinic name: %r" % page[:8]
    page = page[len(band):]
    n = 0
    while n < len(page) and n < len(tree) and page[n] == tree[n]:
        n += 1
    footer = page[n:]  # what is left must be the footer (an artifact)
    assert n >= 40, "tree and page 1 agree on %d words only; page: %r tree: %r" % (n, page[n:n+8], tree[n:n+8])
    assert len(footer) <= 30 and "1" in footer, "page 1 text not in the tree in order after %d words: %r" % (n, footer[:12])
elif mode == "furniture":  # header and footer are not in the tree
    t = " ".join(struct_words())
    m = re.search(r"(Page|P\u00e1gina) \d+ (of|de) \d+", t)
    assert not m, "page numbers in the structure tree: %r" % m.group(0)
elif mode == "quiet":  # quiet: poppler's tools print nothing on stderr
    for cmd in (["pdftotext", pdf, "/dev/null"], ["pdffonts", pdf], ["pdfinfo", "-struct-text", pdf]):
        r = run(*cmd)
        assert r.returncode == 0 and not r.stderr, "%s: %s" % (cmd[0], r.stderr.strip()[:300])
else:
    sys.exit("unknown mode " + mode)
PY

check "a11y: build examples and showcase" "$H" build -q -o "$A" $A11Y_SPECS
for spec in $A11Y_SPECS; do
  id=$(sed -n 's/^id: *//p' "$spec")
  pdf="$A/$id.pdf"
  lang=$(sed -n 's/^language: *//p' "$spec")
  clinic=$(sed -n 's/^clinic: *//p' "$spec")
  cname=$(sed -n 's/^name: *//p' "content/clinics/$clinic.yaml" | sed 's/^"\(.*\)"$/\1/')
  pdfinfo -struct-text "$pdf" > "$A/$id.struct" 2>/dev/null
  check "$id: pdfinfo says Tagged: yes" sh -c "pdfinfo '$pdf' | grep -qx 'Tagged: *yes'"
  for el in Document H1 H2 P L LI Lbl LBody Link Sect; do
    check "$id: structure has $el" grep -Eq "^ *$el( |\$)" "$A/$id.struct"
  done
  check "$id: the title is the first element, an H1" sh -c "sed -n 2p '$A/$id.struct' | grep -q '^  H1 '"
  check "$id: no warning from pdftotext, pdffonts, pdfinfo" python3 "$A/a11y.py" quiet "$pdf"
  check "$id: qpdf --check has no warnings" sh -c "qpdf --check '$pdf' >'$A/q' 2>&1 && ! grep -qi warning '$A/q'"
  check "$id: catalog has /Lang ($lang), DisplayDocTitle, MarkInfo" python3 "$A/a11y.py" catalog "$pdf" "$lang"
  check "$id: reading order of the tree is page 1's order" python3 "$A/a11y.py" order "$pdf" "$cname"
  check "$id: header and footer are not in the tree" python3 "$A/a11y.py" furniture "$pdf"
  dir=$(dirname "$spec")
  fig=$(sed -n 's/^ *- figure: *//p' "$spec" | head -1)
  if [ -n "$fig" ]; then
    check "$id: the figure is a Figure with its alt text" python3 "$A/a11y.py" figures "$pdf" "$dir/$fig"
  elif grep -q '!\[' $(sed -n "s|^ *- file: *|$dir/|p" "$spec") /dev/null; then
    check "$id: the image is a Figure with alt text" python3 "$A/a11y.py" figures "$pdf"
  fi
done
# the safety box: a Sect titled with its heading, in English and Spanish
check "ketamine-relief: pdfinfo shows Sect \"Safety information\" and its H2" \
  sh -c "grep -A2 '^  Sect \"Safety information\"' '$A/ketamine-relief.struct' | grep -q '\"Safety information\"'"
check "ketamine-relief: the safety box is a Sect with /T and an H2" python3 "$A/a11y.py" sect "$A/ketamine-relief.pdf" "Safety information"
check "ketamine-relief-es: the safety box is a Sect with /T and an H2" python3 "$A/a11y.py" sect "$A/ketamine-relief-es.pdf" "Información de seguridad"
check "ketamine-relief: the web link is a Link with its annotation" \
  sh -c "grep -A2 '^ *Link' '$A/ketamine-relief.struct' | grep -q '^ *Object [0-9]* 0\$'"
rm -rf "$A"
