#!/usr/bin/env bash
# Regenerates the material of the bundled story demo (docs/demo.md, examples/scenes/story.toml):
#   examples/audio/story_outside.flac  the world: drum groove + bass in a rehearsal room, voices, quiet rooms
#   examples/audio/story_body.flac     the body bus: heartbeat, breathing, blood rush, a swallow
# both 60.000 s, mono, 44.1 kHz, 16-bit FLAC. Everything is synthesised by scripts/make-demo-material.py
# (fixed random seed) except the voices, which are Festival's CMU ARCTIC slt HTS voice.
# Needs Debian's festival, festvox-us-slt-hts, sox and python3-numpy/-scipy/-soundfile
# (scripts/install-deps.sh installs them).
# Usage: scripts/make-demo-material.sh [OUTDIR]   (default examples/audio)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$here/examples/audio}
for tool in text2wave sox; do
  command -v "$tool" >/dev/null || { echo "make-demo-material: $tool not found (run scripts/install-deps.sh)" >&2; exit 1; }
done
/usr/bin/python3 -c 'import numpy, scipy, soundfile' 2>/dev/null || {
  echo "make-demo-material: /usr/bin/python3 needs numpy, scipy and soundfile (run scripts/install-deps.sh)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 "$here/scripts/make-demo-material.py" "$tmp"
mkdir -p "$out"
for f in story_outside story_body; do
  # 16-bit, no dither (-D: repeatable), best FLAC compression
  sox -V1 -D "$tmp/$f.wav" -b 16 -C 8 "$out/$f.flac"
  echo "make-demo-material: wrote $out/$f.flac ($(soxi -D "$out/$f.flac") s, $(du -k "$out/$f.flac" | cut -f1) kB)"
done
