#!/usr/bin/env python3
"""tests/bench/mkroot.py: build a generated project folder for tests/bench.sh.

usage: mkroot.py REPO DEST NHANDOUTS NCLINICS --handouts ID... --clinics ID...

DEST gets content/handouts (the named specs of REPO and their folders, plus
copies with new ids: ketamine-relief-2, infusion-prep-2, ... until there are
NHANDOUTS specs) and content/clinics (NCLINICS profiles derived from the named
ones in turn, with new ids and names, and the logos folder so relative logo
paths still resolve). Naming the sources keeps the batch the same when specs
or profiles are added to the repository. templates/ and fonts/ are not copied: handout falls back to
the ones beside bin/handout.
"""
import os
import re
import shutil
import sys


def retag(text, key, value):
    """Replace the first top-level 'key: ...' line of a YAML file."""
    out, n = re.subn(r"(?m)^%s:.*$" % re.escape(key), "%s: %s" % (key, value), text, count=1)
    if n != 1:
        sys.exit("mkroot: no top-level '%s:' line to replace" % key)
    return out


def make_handouts(repo, dest, count, bases):
    src = os.path.join(repo, "content", "handouts")
    dst = os.path.join(dest, "content", "handouts")
    os.makedirs(dst)
    for base in bases:
        shutil.copy(os.path.join(src, base + ".yaml"), dst)
        if os.path.isdir(os.path.join(src, base)):
            shutil.copytree(os.path.join(src, base), os.path.join(dst, base))
    have, copy = len(bases), 2
    while have < count:
        for base in bases:
            if have >= count:
                break
            with open(os.path.join(src, base + ".yaml"), encoding="utf-8") as f:
                text = f.read()
            new_id = "%s-%d" % (base, copy)
            with open(os.path.join(dst, new_id + ".yaml"), "w", encoding="utf-8") as f:
                f.write(retag(text, "id", new_id))
            have += 1
        copy += 1


def make_clinics(repo, dest, count, names):
    src = os.path.join(repo, "content", "clinics")
    dst = os.path.join(dest, "content", "clinics")
    os.makedirs(dst)
    shutil.copytree(os.path.join(src, "logos"), os.path.join(dst, "logos"))
    profiles = []
    for name in names:
        with open(os.path.join(src, name + ".yaml"), encoding="utf-8") as fh:
            profiles.append((name, fh.read()))
    for i in range(count):
        base, text = profiles[i % len(profiles)]
        new_id = "%s-%03d" % (base, i + 1)
        name = re.search(r"(?m)^name:\s*(.*)$", text).group(1).strip()
        text = retag(retag(text, "id", new_id), "name", "%s %d" % (name, i + 1))
        with open(os.path.join(dst, new_id + ".yaml"), "w", encoding="utf-8") as f:
            f.write(text)


def main():
    args = sys.argv[1:]
    if len(args) < 8 or args[4] != "--handouts" or "--clinics" not in args:
        sys.exit(__doc__)
    repo, dest, nh, nc = args[0], args[1], int(args[2]), int(args[3])
    cut = args.index("--clinics")
    bases, names = args[5:cut], args[cut + 1:]
    if not bases or not names:
        sys.exit(__doc__)
    make_handouts(repo, dest, nh, bases)
    make_clinics(repo, dest, nc, names)


if __name__ == "__main__":
    main()
