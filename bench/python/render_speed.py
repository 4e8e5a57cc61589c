#!/usr/bin/python3
"""earshot.render (arrays) against the CLI's in-process time (issue 10: within 5 %).

The CLI's in-process time is render_file: what `earshot render IN OUT` runs after parsing its flags (read the file,
meter it, render, write a float32 WAV). earshot.render_file calls that same function from Python; earshot.render
runs the same loop (render_stream) on an array. Both are timed in this process, alternating, several repeats, the
median taken; the `earshot render` command's wall time (process start, parse, render, write) is shown beside them.
Input: 10 s (examples/audio/speech.flac, 44.1 kHz mono) for each case.

    PYTHONPATH=build/python /usr/bin/python3 bench/python/render_speed.py [--repeats N] [--cli build/bin/earshot]

Prints one row per case: the medians (s), the ratio render / render_file (1.00 = the same time) and the x real
time. Timing needs an idle machine: the ratio is what this bench is for.
"""
import argparse
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import soundfile as sf

import earshot

ROOT = pathlib.Path(__file__).resolve().parents[2]

CASES = {
    "listener N2": (dict(listener="bisgaard:N2", level_db_spl=65.0), ["-l", "bisgaard:N2", "--level-db-spl", "65"]),
    "implant ACE": (dict(implant="nucleus-ace", level_db_spl=65.0), ["-i", "nucleus-ace", "--level-db-spl", "65"]),
    "EAS S2+ACE": (dict(listener="bisgaard:S2", implant="nucleus-ace", crossover_hz=500, level_db_spl=65.0),
                   ["-l", "bisgaard:S2", "-i", "nucleus-ace", "--crossover-hz", "500", "--level-db-spl", "65"]),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--cli", default=str(ROOT / "build" / "bin" / "earshot"))
    ap.add_argument("--cases", nargs="*", default=list(CASES))
    a = ap.parse_args()
    x, fs = sf.read(ROOT / "examples" / "audio" / "speech.flac", dtype="float32")
    seconds = len(x) / fs
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "in.wav")
        sf.write(src, x, fs, subtype="FLOAT")
        print(f"earshot {earshot.__version__} {earshot.build_info()['arch']}; input {seconds:.1f} s at {fs} Hz; "
              f"median of {a.repeats}")
        print(f"{'case':<14} {'render':>8} {'render_file':>12} {'ratio':>6} {'x_rt':>6} {'CLI wall':>9}")
        for name in a.cases:
            kw, args = CASES[name]
            earshot.render(x, fs, **kw)  # warm: presets, caches, page faults
            t_arr, t_file, t_cli = [], [], []
            for i in range(a.repeats):
                t0 = time.perf_counter()
                earshot.render(x, fs, **kw)
                t_arr.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                earshot.render_file(src, os.path.join(tmp, "out.wav"), **kw)
                t_file.append(time.perf_counter() - t0)
                if os.path.exists(a.cli):
                    t0 = time.perf_counter()
                    subprocess.run([a.cli, "render", src, os.path.join(tmp, "cli.wav"), *args, "-q"], check=True)
                    t_cli.append(time.perf_counter() - t0)
            ma, mf = statistics.median(t_arr), statistics.median(t_file)
            mc = f"{statistics.median(t_cli):9.3f}" if t_cli else "        -"
            print(f"{name:<14} {ma:8.3f} {mf:12.3f} {ma / mf:6.3f} {seconds / ma:6.1f} {mc}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
