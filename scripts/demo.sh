#!/usr/bin/env bash
# The README's first command (`make demo`): renders the bundled speech example as four listeners hear it
# at 65 dB SPL, plus the audiogram of one of them, into out/. Idempotent: re-running overwrites out/ files.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
earshot="${EARSHOT:-$root/build/bin/earshot}"
if [[ ! -x "$earshot" ]]; then
  echo "demo: $earshot not found; build first (make build)" >&2
  exit 1
fi
input=examples/audio/speech.flac
mkdir -p out
written=()
for listener in normal bisgaard:N2 bisgaard:N4 bisgaard:S2; do
  name="speech_${listener//:/_}.wav"
  "$earshot" render "$input" "out/$name" --listener "$listener" --level-db-spl 65 --quiet
  written+=("out/$name  ($listener, 65 dB SPL)")
done
"$earshot" listener show bisgaard:S2 --plot out/audiogram_S2.png >/dev/null
written+=("out/audiogram_S2.png  (audiogram of bisgaard:S2)")
# Through a cochlear implant: day one (places from the array) and experienced (mismatch adapted away),
# and the electrodogram of the same speech.
for implant in nucleus-ace nucleus-ace-experienced; do
  "$earshot" render "$input" "out/speech_${implant}.wav" --implant "$implant" --level-db-spl 65 --quiet
  written+=("out/speech_${implant}.wav  (deaf listener with the $implant implant preset)")
done
"$earshot" electrodogram "$input" out/speech_electrodogram.csv --implant nucleus-ace --level-db-spl 65 \
  --plot out/speech_electrodogram.png --quiet
written+=("out/speech_electrodogram.csv, .png  (the pulses of the nucleus-ace implant for the same speech)")
# The story (docs/demo.md): a minute in the spirit of "Sound of Metal", rendered through a scene, with its figure.
"$earshot" render examples/audio/story_outside.flac out/story.wav --scene examples/scenes/story.toml \
  --body examples/audio/story_body.flac --timeline out/story_timeline.png --quiet
cp docs/demo.md out/story.md
written+=("out/story.wav, out/story_timeline.png, out/story.md  (the story demo: sudden loss, processor off, implant; read story.md)")
echo "earshot demo: rendered $input as four listeners and two implant users hear it at 65 dB SPL, and the story demo:"
for w in "${written[@]}"; do echo "  $w"; done
echo "Listen to out/story.wav with out/story_timeline.png and out/story.md; out/speech_normal.wav, then the others"
echo "(32-bit float WAV, same length and timing as the input)."
