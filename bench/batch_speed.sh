#!/bin/sh
# Batch speed (issue 10): `earshot batch` of 8 x 60 s files with --jobs 1 and --jobs 2 (wall time, the best of
# ROUNDS runs each, interleaved), and the per-file set-up: 24 short (0.25 s) files with one listener, whose
# time is almost all set-up, rendered by one batch (engines reused: model_cache.hpp) against 24 separate
# `earshot render` processes... and against the same batch with every row a different calibration (no reuse).
# Usage: bench/batch_speed.sh [EARSHOT_BINARY] [ROUNDS]   (default build/bin/earshot, 2 rounds)
set -eu
EARSHOT=${1:-build/bin/earshot}
ROUNDS=${2:-2}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
/usr/bin/python3 - "$W" <<'PY'
import math, struct, sys, wave, random
d = sys.argv[1]
def write(name, seconds, rate=44100, seed=1):
    rnd = random.Random(seed)
    n = int(seconds * rate)
    frames = bytearray()
    for i in range(n):
        t = i / rate
        env = 0.55 + 0.45 * math.sin(2 * math.pi * 4 * t)
        v = 0.08 * env * (math.sin(2 * math.pi * 250 * t) + math.sin(2 * math.pi * 1000 * t + 1) +
                          math.sin(2 * math.pi * 4000 * t + 2)) + 0.002 * (rnd.random() - 0.5)
        frames += struct.pack('<h', int(max(-1, min(1, v)) * 32767))
    with wave.open(f"{d}/{name}", 'wb') as f:
        f.setnchannels(1); f.setsampwidth(2); f.setframerate(rate); f.writeframes(bytes(frames))
write("long.wav", 60)
write("short.wav", 0.25)
with open(f"{d}/long.csv", "w") as m:
    m.write("input,output,listener,full_scale_db_spl\n")
    for i in range(8): m.write(f"long.wav,out/l{i}.wav,bisgaard:N3,100\n")
with open(f"{d}/short.csv", "w") as m:
    m.write("input,output,listener,full_scale_db_spl\n")
    for i in range(24): m.write(f"short.wav,out/s{i}.wav,bisgaard:N3,100\n")
with open(f"{d}/short_cal.csv", "w") as m:
    m.write("input,output,listener,full_scale_db_spl\n")
    for i in range(24): m.write(f"short.wav,out/c{i}.wav,bisgaard:N3,{100 + i * 0.125}\n")
PY
now() { date +%s.%N; }
best() { printf '%s\n' "$@" | sort -g | head -1; }
run() {  # run MANIFEST JOBS -> seconds
    rm -rf "$W/out"
    t0=$(now); "$EARSHOT" batch "$W/$1" --jobs "$2" -q; t1=$(now)
    echo "$t1 - $t0" | bc
}
j1=""; j2=""; s=""; c=""; p=""
for r in $(seq "$ROUNDS"); do
    j1="$j1 $(run long.csv 1)"
    j2="$j2 $(run long.csv 2)"
    s="$s $(run short.csv 1)"
    c="$c $(run short_cal.csv 1)"
    t0=$(now)
    for i in $(seq 24); do "$EARSHOT" render "$W/short.wav" "$W/p.wav" -l bisgaard:N3 -q; done
    t1=$(now); p="$p $(echo "$t1 - $t0" | bc)"
done
J1=$(best $j1); J2=$(best $j2); S=$(best $s); C=$(best $c); P=$(best $p)
echo "8 x 60 s, bisgaard:N3, 44.1 kHz mono: --jobs 1 $J1 s, --jobs 2 $J2 s, speed-up $(echo "scale=2; $J1 / $J2" | bc)x"
echo "24 x 0.25 s, one listener, --jobs 1: one batch $S s ($(echo "scale=1; 1000 * $S / 24" | bc) ms/file);" \
     "every row another calibration $C s ($(echo "scale=1; 1000 * $C / 24" | bc) ms/file);" \
     "24 processes $P s ($(echo "scale=1; 1000 * $P / 24" | bc) ms/file)"
echo "(nproc $(nproc); load $(cut -d' ' -f1-3 /proc/loadavg))"
