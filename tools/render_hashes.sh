#!/usr/bin/env bash
# The CLI renders the engine refactor (issue 9) must keep bit-identical: prints "name sha256" of the *sample data*
# (sox decodes each output to raw float32; the electrodogram CSV is hashed as written), one line per render.
# Usage: tools/render_hashes.sh BUILD/bin/earshot [WORKDIR]   (run from the repository root; needs sox)
# Inputs are cut from examples/audio (deterministic: sox trim of the decoded FLAC).
set -euo pipefail
bin=$(readlink -f "$1")
work=${2:-$(mktemp -d)}
mkdir -p "$work"
root=$(pwd)
a=examples/audio
sox -D -R "$a/speech.flac" "$work/speech4.wav" trim 0 4
sox -D -R "$a/speech.flac" -r 8000 "$work/speech8k.wav" trim 0 3
sox -D -R "$a/speech.flac" "$work/stereo.wav" trim 0 3 remix 1 1v0.5
sox -D -R "$a/story_outside.flac" "$work/outside12.wav" trim 0 12
sox -D -R "$a/story_body.flac" "$work/body12.wav" trim 0 12
sox -D -R "$a/story_outside.flac" "$work/outside20.wav" trim 5 20
r() {  # name, input, then flags
    local name=$1 in=$2; shift 2
    "$bin" render "$work/$in" "$work/$name.wav" -q "$@"
    printf '%s %s\n' "$name" "$(sox -V1 "$work/$name.wav" -t f32 - | sha256sum | cut -d' ' -f1)"
}
r normal            speech4.wav  -l normal --level-db-spl 65
r bisgaard-n2       speech4.wav  -l bisgaard:N2 --level-db-spl 65
r bisgaard-s1       speech4.wav  -l bisgaard:S1 --full-scale-db-spl 105
r iso7029           speech4.wav  -l iso7029:age=75,sex=male --level-db-spl 70 --level-measure rms
r two-ears          speech4.wav  -l examples/listeners/conductive-left.toml --level-db-spl 65
r implant           speech4.wav  -i nucleus-ace --level-db-spl 65
r eas               speech4.wav  -l bisgaard:S2 -i nucleus-ace --crossover-hz 500 --level-db-spl 65
r bimodal           speech4.wav  -l bisgaard:N3 -i nucleus-ace --implant-ear left --level-db-spl 65
r hearing-aid       speech4.wav  -l bisgaard:N3 --hearing-aid nal-r --limit-dbfs -1 --level-db-spl 65
r stereo-diffuse    stereo.wav   -l bisgaard:N2 --field diffuse --degree continuous --no-smearing
r rate-8k           speech8k.wav -l bisgaard:N2 --level-db-spl 65 --both-ears
r scene-body        outside12.wav --scene examples/scenes/processor-off-body.toml --body "$work/body12.wav" --timeline "$work/scene-body.png"
r scene-ear         speech4.wav  --scene examples/scenes/ear-specific.toml
r scene-story       outside20.wav --scene examples/scenes/story.toml
"$bin" electrodogram "$work/speech4.wav" "$work/pulses.csv" -q -i nucleus-ace --level-db-spl 65
printf '%s %s\n' electrodogram "$(sha256sum < "$work/pulses.csv" | cut -d' ' -f1)"
"$bin" electrodogram "$work/speech4.wav" "$work/pulses-rms.csv" -q -i medel-cis --level-db-spl 60 --level-measure rms
printf '%s %s\n' electrodogram-rms "$(sha256sum < "$work/pulses-rms.csv" | cut -d' ' -f1)"
