#!/usr/bin/env bash
# Regenerates tests/data/slt_harvard_16k.flac: the ten Harvard sentences of list 1 (IEEE 1969), spoken by
# Festival's CMU ARCTIC "slt" HTS voice (US English, female), resampled to 16 kHz, joined with 300 ms of
# silence (also before the first and after the last), peak-normalised to -1 dBFS, 16-bit FLAC, mono.
# Needs Debian's festival, festvox-us-slt-hts and sox (scripts/install-deps.sh installs them).
# Usage: scripts/make-slt-speech.sh [OUT.flac]   (default tests/data/slt_harvard_16k.flac)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$here/tests/data/slt_harvard_16k.flac}
for tool in text2wave sox; do
  command -v "$tool" >/dev/null || { echo "make-slt-speech: $tool not found (run scripts/install-deps.sh)" >&2; exit 1; }
done

sentences=(
  "The birch canoe slid on the smooth planks."
  "Glue the sheet to the dark blue background."
  "It's easy to tell the depth of a well."
  "These days a chicken leg is a rare dish."
  "Rice is often served in round bowls."
  "The juice of lemons makes fine punch."
  "The box was thrown beside the parked truck."
  "The hogs were fed chopped corn and garbage."
  "Four hours of steady work faced us."
  "A large size in stockings is hard to sell."
)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sox -D -n -r 16000 -b 16 -c 1 "$tmp/gap.wav" trim 0 0.3
parts=("$tmp/gap.wav")
i=0
for s in "${sentences[@]}"; do
  i=$((i + 1))
  printf '%s\n' "$s" > "$tmp/s$i.txt"
  # Festival's slt HTS voice synthesises at 32 kHz, 16-bit.
  text2wave -eval "(voice_cmu_us_slt_arctic_hts)" -o "$tmp/s$i.32k.wav" "$tmp/s$i.txt"
  # sox's default high-quality resampler (-v: very high quality), no dither (repeatable).
  sox -D "$tmp/s$i.32k.wav" -r 16000 -b 16 -c 1 "$tmp/s$i.wav" rate -v
  parts+=("$tmp/s$i.wav" "$tmp/gap.wav")
done
sox -D "${parts[@]}" "$tmp/joined.wav"
sox -D "$tmp/joined.wav" -b 16 -C 8 "$out" gain -n -1
echo "make-slt-speech: wrote $out ($(soxi -D "$out") s)"
