#!/usr/bin/env bash
# Writes the generated seed corpora for the fuzz harnesses into OUT/<harness>/
# (default build/fuzz/seeds), from the examples (content/, templates/,
# tests/fixtures/) and the bad-input catalogue (tests/bad/). Run from the
# checkout; `make fuzz` runs it. The hand-made seeds in tests/fuzz/corpus-*/
# are used as they are.
#
#   fuzz_spec      selector byte + a YAML file (see fuzz_spec.c): every spec,
#                  template, clinic, figure, topic and safety text, with the
#                  id of a named file changed to "fuzz" (its name in the harness)
#   fuzz_markdown  selector byte + a Markdown section: every .md file, the
#                  inline Markdown of the specs, the safety texts
#   fuzz_build     a handout spec: the examples, the examples with every
#                  `file:` section written inline, every catalogue spec; each
#                  with its id changed to "fuzz" (the harness's file name)
set -u
cd "$(dirname "$0")/../.." || exit 3
OUT=${1:-build/fuzz/seeds}
MAX=65536 # bytes: larger files (none today) are left out
rm -rf "$OUT"
mkdir -p "$OUT/fuzz_spec" "$OUT/fuzz_markdown" "$OUT/fuzz_build"

small() { [ -f "$1" ] && [ "$(stat -c %s "$1")" -le $MAX ]; }
name_of() { local n=${1//\//_}; printf '%s' "${n// /_}"; }

# seed HARNESS SELECTOR FILE [FILTER...]: selector byte, then the file (filtered)
seed() {
  local h=$1 sel=$2 f=$3
  shift 3
  small "$f" || return 0
  { printf '%s' "$sel"; if [ $# -gt 0 ]; then "$@" <"$f"; else cat "$f"; fi; } >"$OUT/$h/$sel-$(name_of "$f")"
}
fuzz_id() { sed 's/^id: .*/id: fuzz/'; }

# The Markdown of the `markdown: |` sections of a spec, indentation removed.
inline_md() {
  awk '
    /^  - markdown: [|>]/ { on = 1; next }
    on && /^      / { print substr($0, 7); next }
    on && /^ *$/ { print ""; next }
    { on = 0 }'
}
# The `text: |` of a safety text, indentation removed.
safety_md() {
  awk '
    /^text: [|>]/ { on = 1; next }
    on && /^  / { print substr($0, 3); next }
    on && /^ *$/ { print ""; next }
    { on = 0 }'
}

# A spec with every `- file: x.md` section written inline (relative to $1's folder).
inline_spec() {
  local spec=$1 dir line path
  dir=$(dirname "$spec")
  while IFS= read -r line || [ -n "$line" ]; do
    case $line in
      "  - file: "*)
        path=$dir/${line#  - file: }
        if [ -f "$path" ]; then
          printf '  - markdown: |\n'
          sed 's/^/      /; s/^ *$//' "$path"
        else
          printf '%s\n' "$line"
        fi
        ;;
      *) printf '%s\n' "$line" ;;
    esac
  done <"$spec"
}

# YAML files of the checkout and the catalogue, by what they are.
for f in content/handouts/*.yaml tests/fixtures/*.yaml tests/bad/*/spec.yaml; do
  seed fuzz_spec 0 "$f" fuzz_id
  seed fuzz_spec 6 "$f"
done
for f in templates/*.yaml tests/bad/*/templates/*.yaml; do seed fuzz_spec 1 "$f"; done
for f in content/clinics/*.yaml tests/bad/*/content/clinics/*.yaml; do seed fuzz_spec 2 "$f" fuzz_id; done
for f in content/handouts/*/*.yaml tests/bad/*/*.yaml; do
  case $f in */spec.yaml) continue ;; esac
  grep -q '^lanes:' "$f" 2>/dev/null && seed fuzz_spec 3 "$f"
done
for f in templates/topics/*.yaml tests/bad/*/templates/topics/*.yaml; do seed fuzz_spec 4 "$f" fuzz_id; done
for f in templates/safety/*.yaml tests/bad/*/templates/safety/*.yaml; do seed fuzz_spec 5 "$f" fuzz_id; done

# Markdown: files, inline sections, safety texts. Selector '0' is the body
# with the standard template; a few go in the safety box ('1') and in the
# large-print template ('2').
for f in content/handouts/*/*.md tests/fixtures/*/*.md tests/bad/*/*.md; do
  seed fuzz_markdown 0 "$f"
done
for f in content/handouts/*/0[13]*.md tests/fixtures/*/*.md; do
  seed fuzz_markdown 1 "$f"
  seed fuzz_markdown 2 "$f"
done
for f in content/handouts/*.yaml tests/fixtures/*.yaml tests/bad/*/spec.yaml; do
  grep -q '^  - markdown: [|>]' "$f" 2>/dev/null || continue
  seed fuzz_markdown 0 "$f" inline_md
done
for f in templates/safety/*.yaml; do seed fuzz_markdown 1 "$f" safety_md; done

# Whole handouts.
for f in content/handouts/*.yaml tests/fixtures/*.yaml; do
  small "$f" || continue
  fuzz_id <"$f" >"$OUT/fuzz_build/$(name_of "$f")"
  inline_spec "$f" | fuzz_id >"$OUT/fuzz_build/inline-$(name_of "$f")"
done
for f in tests/bad/*/spec.yaml; do
  small "$f" && fuzz_id <"$f" >"$OUT/fuzz_build/$(name_of "$f")"
done
# Drop empty results (a filter that found nothing).
find "$OUT" -type f -size -2c -delete
echo "seeds: $(ls "$OUT/fuzz_spec" | wc -l) spec, $(ls "$OUT/fuzz_markdown" | wc -l) markdown, $(ls "$OUT/fuzz_build" | wc -l) build"
