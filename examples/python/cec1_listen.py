#!/usr/bin/python3
"""A CEC1-style evaluation loop with earshot's drop-in for Clarity's MSBG (docs/python.md, "Migrating from
Clarity's MSBG").

The Clarity CEC1 baseline (claritychallenge/clarity recipes/cec1/baseline/evaluate.py) does, per scene and
listener: pass a unit impulse (the "DDF") through a reference listener and the listener, pass the signal through
the listener with a listen() that runs the MSBG Ear once per ear, find the model's delay on the DDF output
(find_delay_impulse), pad the clean target by it and score intelligibility. This script does the same with
``from earshot.clarity import Ear, Listener, AUDIOGRAM_REF_CLARITY`` in place of the clarity imports, on
synthetic scenes made from the project's own audio (a target voice and an interferer from one side, binaural),
listeners from a Clarity listeners file, and ``earshot.score`` (STOI/ESTOI per ear, better ear reported) in
place of MBSTOI (which earshot does not implement).

    PYTHONPATH=build/python /usr/bin/python3 examples/python/cec1_listen.py [--out scores.csv]

The drop-in's output is aligned with its input, so the delays found are 0 and the padding does nothing; the
loop is kept as the recipe has it so that the two can be compared line by line.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import numpy as np
import soundfile

import earshot
from earshot.clarity import AUDIOGRAM_REF_CLARITY, Ear, Listener

ROOT = Path(__file__).resolve().parents[2]
FS = 44100

# The recipes' Ear configuration (recipes/cec1/baseline/config.yaml, MSBGEar).
MSBG_EAR = {"src_pos": "ff", "sample_rate": FS, "equiv_0db_spl": 100, "ahr": 20}

# Scenes: (target, interferer, SNR at the better ear in dB). The interferer comes from the right: 0.6 ms later
# and 6 dB quieter at the left ear; the target is frontal (the same at both ears).
SCENES = {
    "S0001": ("tests/data/msbg_input_speech_10s.flac", "tests/data/extra_in_pink.flac", 0.0),
    "S0002": ("tests/data/extra_in_voice.flac", "tests/data/extra_in_music.flac", 3.0),
    "S0003": ("tests/data/msbg_input_speech_10s.flac", "tests/data/extra_in_voice.flac", 6.0),
}
SCENES_LISTENERS = {"S0001": ["L0001", "L0002"], "S0002": ["L0001", "L0003"], "S0003": ["L0002", "L0003"]}
SECONDS = 6.0

# A third listener beside the two of examples/listeners/clarity-listeners.json: steeply sloping, near-normal
# up to 2 kHz (class MODERATE: the mean at 2-8 kHz is 42.5 and 42.5 dB HL).
L0003 = {"name": "L0003", "audiogram_cfs": [250, 500, 1000, 2000, 3000, 4000, 6000, 8000],
         "audiogram_levels_l": [10, 10, 10, 15, 30, 55, 70, 70],
         "audiogram_levels_r": [10, 10, 15, 20, 35, 55, 65, 70]}


def read_mono(path: str) -> np.ndarray:
    x, fs = soundfile.read(ROOT / path, dtype="float64")
    if fs != FS:
        raise SystemExit(f"{path}: {fs} Hz; this example expects {FS} Hz")
    return x if x.ndim == 1 else x[:, 0]


def make_scene(target_file: str, interferer_file: str, snr_db: float) -> tuple[np.ndarray, np.ndarray]:
    """(clean target N x 2, mixture N x 2), scaled as the drop-in reads files: an RMS of 1.0 is 120 dB SPL, so a
    mixture at -55 dB RMS is heard at about 65 dB SPL."""
    n = int(SECONDS * FS)
    target = read_mono(target_file)[:n]
    noise = np.resize(read_mono(interferer_file), n)  # looped when shorter
    target = np.pad(target, (0, n - len(target)))
    rms = lambda v: np.sqrt(np.mean(v**2))  # noqa: E731
    noise *= rms(target) / rms(noise) * 10 ** (-snr_db / 20)
    itd = int(round(0.0006 * FS))
    noise_left = 10 ** (-6 / 20) * np.concatenate([np.zeros(itd), noise[:-itd]])
    clean = np.stack([target, target], axis=1)
    mixture = clean + np.stack([noise_left, noise], axis=1)
    k = 10 ** (-55 / 20) / rms(mixture)
    return clean * k, mixture * k


def listen(ear: Ear, signal: np.ndarray, listener: Listener) -> np.ndarray:
    """As the recipe: the left audiogram on channel 0, the right on channel 1, stacked to N x 2."""
    ear.set_audiogram(listener.audiogram_left)
    out_l = ear.process(signal[:, 0])
    ear.set_audiogram(listener.audiogram_right)
    out_r = ear.process(signal[:, 1])
    # MSBG's outputs can differ in length (smearing adds 216 samples); the drop-in's never do.
    assert len(out_l[0]) == len(out_r[0])
    return np.concatenate([out_l, out_r]).T


def find_delay_impulse(ddf: np.ndarray, initial_value: int) -> np.ndarray:
    """The recipes' delay estimate: per channel, the index of the largest sample minus the impulse's."""
    return np.array([int(np.argmax(ddf[:, c])) - initial_value for c in range(ddf.shape[1])])


def evaluate(listeners: dict[str, Listener]) -> list[dict]:
    ear = Ear(**MSBG_EAR)
    reference_listener = Listener(AUDIOGRAM_REF_CLARITY, AUDIOGRAM_REF_CLARITY)
    rows = []
    for scene, (target_file, interferer_file, snr_db) in SCENES.items():
        clean, mixture = make_scene(target_file, interferer_file, snr_db)
        ddf_signal = np.zeros(mixture.shape)
        ddf_signal[FS // 2, :] = 1.0
        for listener_id in SCENES_LISTENERS[scene]:
            listener = listeners[listener_id]
            ddf_reference = listen(ear, ddf_signal, reference_listener)
            processed = listen(ear, mixture, listener)
            ddf_out = listen(ear, ddf_signal, listener)
            delay = find_delay_impulse(ddf_out, FS // 2)
            max_delay = int(np.max(delay))
            # The recipe pads the clean target by the model's delay on each ear.
            clean_pad = np.zeros((len(clean) + max_delay, 2))
            proc_pad = np.zeros((len(clean) + max_delay, 2))
            for c in range(2):
                clean_pad[delay[c] : delay[c] + len(clean), c] = clean[:, c]
            proc_pad[: len(processed)] = processed
            scores = [earshot.score(clean_pad[:, c], proc_pad[:, c], FS) for c in range(2)]
            better = max(range(2), key=lambda c: scores[c]["stoi"])
            rows.append({
                "scene": scene, "listener": listener_id,
                "severity_l": listener.audiogram_left.severity, "severity_r": listener.audiogram_right.severity,
                "delay_l": int(delay[0]), "delay_r": int(delay[1]),
                "reference_delay": int(np.max(find_delay_impulse(ddf_reference, FS // 2))),
                "stoi_l": scores[0]["stoi"], "stoi_r": scores[1]["stoi"],
                "estoi_better": scores[better]["estoi"], "stoi_better": scores[better]["stoi"],
            })
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listeners", default=str(ROOT / "examples/listeners/clarity-listeners.json"),
                        help="a Clarity listeners file (default: examples/listeners/clarity-listeners.json)")
    parser.add_argument("--out", help="write the scores as CSV here")
    args = parser.parse_args(argv)
    listeners = Listener.load_listener_dict(args.listeners)
    listeners.setdefault("L0003", Listener.from_dict(L0003))
    rows = evaluate(listeners)
    fields = list(rows[0])
    print(" ".join(f"{f:>12}" for f in fields))
    for row in rows:
        print(" ".join(f"{row[f]:>12.3f}" if isinstance(row[f], float) else f"{row[f]:>12}" for f in fields))
    if args.out:
        with open(args.out, "w", newline="", encoding="utf-8") as fp:
            writer = csv.DictWriter(fp, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
