#!/usr/bin/python3
"""Golden STOI / ESTOI numbers for tests/unit/test_intelligibility.cpp.

An independent numpy re-implementation written from the published descriptions (Taal, Hendriks, Heusdens &
Jensen 2011, IEEE TASLP 19(7); Jensen & Taal 2016, IEEE/ACM TASLP 24(11)) as summarised in the project's
research notes (validation.md 5.1, 5.2). It is not a dependency of earshot and is not run by the build or
the tests: it only generated the constants written into the C++ test. Needs Debian's python3-numpy,
python3-scipy and python3-soundfile.

Front end: resample to 10 kHz, 256-sample frames with MATLAB hanning(256), hop 128, frames whose energy is more
than 40 dB below the loudest clean frame dropped (decided on the clean signal) and the kept windowed frames
overlap-added back into signals, 512-point FFT, 15 one-third-octave bands from 150 Hz (edges snapped to the
nearest bin, upper edge exclusive), 30-frame segments sliding by one frame.

Resampling. The anti-alias filter is not part of STOI's definition, but it matters at the third decimal
for broadband noise: MATLAB's resample (as in the authors' code, and scipy's resample_poly default, Kaiser
beta 5, cut-off at 5 kHz) lets more noise near 4.3-5 kHz through than earshot's resampler (Kaiser-windowed
sinc, passband 0.45, stopband 0.5 of 10 kHz, 90 dB). The golden values ("spec" column) therefore use
resample_poly with a filter designed here to earshot's published specification (Kaiser's design formulas),
so that the comparison checks the STOI/ESTOI computation itself; the "matlab-like" column (resample_poly's
default filter) is printed for information (ESTOI differs by up to ~0.006 on white noise at 10 dB SNR).

Usage: tools/stoi_reference.py [tests/data/slt_harvard_16k.flac]
"""
import sys
from fractions import Fraction

import numpy as np
import soundfile as sf
from scipy.signal import resample_poly

FS = 10000
N_FRAME = 256
HOP = 128
NFFT = 512
N_BANDS = 15
MIN_FREQ = 150.0
N_SEG = 30
BETA_DB = -15.0
DYN_RANGE_DB = 40.0
EPS = np.finfo(np.float64).eps


def window():
    return np.hanning(N_FRAME + 2)[1:-1]


def frames(x):
    w = window()
    return np.array([w * x[i:i + N_FRAME] for i in range(0, len(x) - N_FRAME, HOP)])


def overlap_add(fr):
    out = np.zeros((len(fr) - 1) * HOP + N_FRAME)
    for k, f in enumerate(fr):
        out[k * HOP:k * HOP + N_FRAME] += f
    return out


def remove_silence(x, y):
    xf, yf = frames(x), frames(y)
    e = 20 * np.log10(np.linalg.norm(xf, axis=1) + EPS)
    keep = e > e.max() - DYN_RANGE_DB
    return overlap_add(xf[keep]), overlap_add(yf[keep])


def band_matrix():
    f = np.arange(NFFT // 2 + 1) * FS / NFFT
    k = np.arange(N_BANDS)
    lo = MIN_FREQ * 2.0 ** ((2 * k - 1) / 6)
    hi = MIN_FREQ * 2.0 ** ((2 * k + 1) / 6)
    m = np.zeros((N_BANDS, len(f)))
    for j in range(N_BANDS):
        a = np.argmin((f - lo[j]) ** 2)
        b = np.argmin((f - hi[j]) ** 2)
        m[j, a:b] = 1
    return m


def envelopes(x):
    spec = np.fft.rfft(frames(x), n=NFFT, axis=1)  # (frames, bins)
    return np.sqrt(band_matrix() @ (np.abs(spec) ** 2).T)  # (bands, frames)


RESAMPLER = "spec"


def spec_filter(up, down, fs):
    """Kaiser-windowed sinc at the up-sampled rate: passband 0.45, stopband 0.5 of min(fs, 10 kHz), 90 dB."""
    lo = min(fs, FS)
    rate = fs * up
    fc = 0.475 * lo / rate  # cycles per up-sampled sample
    df = 0.05 * lo / rate
    a_db = 90.0
    beta = 0.1102 * (a_db - 8.7)
    half = (a_db - 7.95) / (2.285 * 2 * np.pi * df) / 2
    t = np.arange(-int(np.ceil(half)), int(np.ceil(half)) + 1)
    w = np.i0(beta * np.sqrt(np.clip(1 - (t / half) ** 2, 0, None))) / np.i0(beta)
    return 2 * fc * np.sinc(2 * fc * t) * w * up


def to_10k(x, fs):
    if fs == FS:
        return x
    r = Fraction(FS, int(fs))
    if RESAMPLER == "spec":
        return resample_poly(x, r.numerator, r.denominator, window=spec_filter(r.numerator, r.denominator, fs))
    return resample_poly(x, r.numerator, r.denominator)


def front_end(x, y, fs):
    x, y = to_10k(np.asarray(x, float), fs), to_10k(np.asarray(y, float), fs)
    n = min(len(x), len(y))
    xs, ys = remove_silence(x[:n], y[:n])
    X, Y = envelopes(xs), envelopes(ys)
    if X.shape[1] < N_SEG:
        raise ValueError("fewer than 30 frames of speech")
    segs = range(N_SEG, X.shape[1] + 1)
    return np.array([X[:, m - N_SEG:m] for m in segs]), np.array([Y[:, m - N_SEG:m] for m in segs])


def unit_rows(a):
    a = a - a.mean(axis=-1, keepdims=True)
    return a / (np.linalg.norm(a, axis=-1, keepdims=True) + EPS)


def stoi(x, y, fs):
    X, Y = front_end(x, y, fs)
    alpha = np.linalg.norm(X, axis=2, keepdims=True) / (np.linalg.norm(Y, axis=2, keepdims=True) + EPS)
    Yc = np.minimum(alpha * Y, X * (1 + 10 ** (-BETA_DB / 20)))
    return float(np.mean(np.sum(unit_rows(X) * unit_rows(Yc), axis=2)))


def estoi(x, y, fs):
    X, Y = front_end(x, y, fs)
    Xn = np.swapaxes(unit_rows(np.swapaxes(unit_rows(X), 1, 2)), 1, 2)  # rows, then columns
    Yn = np.swapaxes(unit_rows(np.swapaxes(unit_rows(Y), 1, 2)), 1, 2)
    return float(np.mean(np.sum(Xn * Yn, axis=(1, 2)) / N_SEG))


def lcg_noise(n, seed):
    """Uniform noise in [-1, 1) from a 32-bit LCG (same generator in the C++ test)."""
    out = np.empty(n)
    s = seed
    for i in range(n):
        s = (1664525 * s + 1013904223) & 0xFFFFFFFF
        out[i] = (s >> 8) / 8388608.0 - 1.0
    return out


def conditions(x, fs):
    """The degraded versions the C++ test rebuilds (elementwise, so both sides compute the same)."""
    p = np.mean(x ** 2)
    nz = lcg_noise(len(x), 12345)
    nz *= np.sqrt(p / np.mean(nz ** 2))
    t = np.arange(len(x)) / fs
    return {
        "noise_10db": x + nz * 10 ** (-10 / 20),
        "noise_0db": x + nz,
        "noise_m5db": x + nz * 10 ** (5 / 20),
        "gated_8hz": x * (np.floor(t * 16) % 2 == 0),  # 8 Hz, 50 % duty interruption
        "clipped": np.clip(x, -0.05, 0.05),
    }


def main():
    global RESAMPLER
    path = sys.argv[1] if len(sys.argv) > 1 else "tests/data/slt_harvard_16k.flac"
    x, fs = sf.read(path, dtype="float32")
    x = x.astype(np.float32).astype(float)
    cases = {"identity": x, **conditions(x, fs)}
    print(f"{'condition':12s} {'spec STOI':>10s} {'spec ESTOI':>10s} {'matlab-like STOI':>17s} {'ESTOI':>8s}")
    for name, y in cases.items():
        y = y.astype(np.float32).astype(float)  # the C++ side holds float samples
        row = []
        for RESAMPLER in ("spec", "matlab-like"):
            row += [stoi(x, y, fs), estoi(x, y, fs)]
        print(f"{name:12s} {row[0]:10.6f} {row[1]:10.6f} {row[2]:17.6f} {row[3]:8.6f}")


if __name__ == "__main__":
    main()
