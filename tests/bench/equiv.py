#!/usr/bin/env python3
"""tests/bench/equiv.py: one Markdown file equivalent to a handout spec, for
timing other renderers (typst, pandoc + weasyprint, pandoc + LaTeX) against
handout in tests/bench.sh.

usage: equiv.py REPO SPEC.yaml CLINIC OUT.md [OUT.typ]

The Markdown has the title and subtitle, the safety texts the topic and the
clinic require, every Markdown section in order, and the sources. A figure
section becomes a one-line placeholder (the other tools have no relief
timeline), so the comparison slightly favours them. OUT.typ, if asked for,
is a rough Markdown-to-Typst rewrite for when pandoc is not there to do it.
"""
import os
import re
import sys

try:
    import yaml
except ImportError:  # only needed when a comparison tool is installed
    yaml = None


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def safety_texts(repo, spec, clinic):
    topic = load(os.path.join(repo, "templates", "topics", spec["topic"] + ".yaml"))
    ids = list(topic.get("safety") or [])
    prof = load(os.path.join(repo, "content", "clinics", clinic + ".yaml"))
    ids += list(prof.get("safety") or [])
    out = []
    for sid in ids:
        s = load(os.path.join(repo, "templates", "safety", sid + ".yaml"))
        out.append("## %s\n\n%s" % (s["title"], s["text"]))
    return out


def to_markdown(repo, spec_path, clinic):
    spec = load(spec_path)
    base = os.path.dirname(spec_path)
    parts = ["# " + spec["title"]]
    if spec.get("subtitle"):
        parts.append("*%s*" % spec["subtitle"])
    parts += safety_texts(repo, spec, clinic)
    for sec in spec["sections"]:
        if "file" in sec:
            with open(os.path.join(base, sec["file"]), encoding="utf-8") as f:
                parts.append(f.read())
        elif "markdown" in sec:
            parts.append(sec["markdown"])
        else:
            parts.append("*(figure %s omitted)*" % sec["figure"])
    srcs = spec.get("sources") or []
    if srcs:
        parts.append("## Sources\n\n" + "\n".join("%d. %s" % (i + 1, s["text"]) for i, s in enumerate(srcs)))
    return "\n\n".join(p.strip() for p in parts) + "\n"


def to_typst(md):
    """Headings, emphasis, lists and links: enough for a timing run."""
    out = ['#set page(paper: "us-letter")', '#set text(size: 13pt)']
    for line in md.splitlines():
        line = re.sub(r"([#$@<>\\])", r"\\\1", line) if not line.startswith("#") else line
        m = re.match(r"^(#+)\s+(.*)$", line)
        if m:
            line = "=" * len(m.group(1)) + " " + m.group(2)
        line = re.sub(r"^(\s*)\d+\.\s", r"\1+ ", line)
        line = re.sub(r"\[([^\]]*)\]\(([^)]*)\)", r'#link("\2")[\1]', line)
        line = re.sub(r"\*\*(.+?)\*\*", lambda m: "\x00" + m.group(1) + "\x00", line)
        line = re.sub(r"(?<![\w*])\*(?!\s)(.+?)\*", r"_\1_", line)
        out.append(line.replace("\x00", "*"))
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__)
    if yaml is None:
        sys.exit("equiv.py: needs PyYAML (python3-yaml)")
    repo, spec, clinic, out_md = sys.argv[1:5]
    md = to_markdown(repo, spec, clinic)
    with open(out_md, "w", encoding="utf-8") as f:
        f.write(md)
    if len(sys.argv) == 6:
        with open(sys.argv[5], "w", encoding="utf-8") as f:
            f.write(to_typst(md))


if __name__ == "__main__":
    main()
