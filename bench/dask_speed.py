"""Dask speed (issue 10): earshot.dask.render_manifest of 8 x 60 s files on a LocalCluster (127.0.0.1) with one
worker and with two (one thread each), the best of ROUNDS runs each after a warm-up row; and earshot.batch with
jobs=1 and 2 for comparison. Usage: PYTHONPATH=build/python /usr/bin/python3 bench/dask_speed.py [ROUNDS]"""
import os
import shutil
import sys
import tempfile
import time

import numpy as np
import soundfile as sf
from distributed import Client, LocalCluster

import earshot
import earshot.dask

def main():
    ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    d = tempfile.mkdtemp()
    try:
        t = np.arange(60 * 44100) / 44100
        x = (0.08 * (0.55 + 0.45 * np.sin(2 * np.pi * 4 * t)) * (np.sin(2 * np.pi * 250 * t) + np.sin(2 * np.pi * 1000 * t + 1)
                                                              + np.sin(2 * np.pi * 4000 * t + 2))).astype(np.float32)
        sf.write(os.path.join(d, "long.wav"), x, 44100, subtype="PCM_16")
        with open(os.path.join(d, "m.csv"), "w") as m:
            m.write("input,output,listener,full_scale_db_spl\n")
            for i in range(8):
                m.write(f"long.wav,out/l{i}.wav,bisgaard:N3,100\n")

        def timed(f):
            best = float("inf")
            for _ in range(ROUNDS):
                shutil.rmtree(os.path.join(d, "out"), ignore_errors=True)
                os.makedirs(os.path.join(d, "out"))
                t0 = time.perf_counter()
                r = f()
                best = min(best, time.perf_counter() - t0)
                assert r.ok and len(r["rendered"]) == 8, r
            return best

        res = {}
        for workers in (1, 2):
            with LocalCluster(n_workers=workers, threads_per_worker=1, host="127.0.0.1", dashboard_address=None) as c, \
                    Client(c) as client:
                client.run(lambda: __import__("earshot"))  # import on every worker before timing
                res[f"dask {workers}"] = timed(lambda: earshot.dask.render_manifest(os.path.join(d, "m.csv"), client, resume=False))
        for jobs in (1, 2):
            res[f"batch {jobs}"] = timed(lambda: earshot.batch(os.path.join(d, "m.csv"), jobs=jobs, resume=False))
        print("8 x 60 s, bisgaard:N3, 44.1 kHz mono: " + ", ".join(f"{k}: {v:.2f} s" for k, v in res.items()))
        print(f"dask 2 workers / 1: {res['dask 1'] / res['dask 2']:.2f}x; earshot.batch jobs 2 / 1: "
              f"{res['batch 1'] / res['batch 2']:.2f}x (nproc {os.cpu_count()}, load {os.getloadavg()})")
    finally:
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":  # the workers (spawned processes) import this file again
    main()
