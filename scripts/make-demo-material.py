#!/usr/bin/python3
"""Synthesises the material of the bundled story demo (docs/demo.md, examples/scenes/story.toml).

Writes two 60 s mono 44.1 kHz WAV files (float) into OUTDIR; scripts/make-demo-material.sh turns them into
the committed 16-bit FLACs:

  story_outside.wav  the world: a live-sounding drum groove with a bass line in a rehearsal room, a bandmate
                     speaking over it, then quiet rooms with someone speaking slowly, cup taps, and at the end
                     the groove again from a distance. Voices: Festival's CMU ARCTIC slt HTS voice.
  story_body.wav     the body bus: heartbeat, breathing, a faint pulsing blood rush and a swallow, as heard
                     inside one's own head (low-passed), following the story (exertion, panic, calm, a gasp).

Everything except the voice is synthesised here from a fixed random seed, so re-runs give the same files.
Usage: make-demo-material.py OUTDIR   (needs text2wave with festvox-us-slt-hts, and sox, on PATH)
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import soundfile as sf
from scipy import ndimage, signal

FS = 44100
DURATION_S = 60.0
N = int(round(FS * DURATION_S))
BPM = 120.0
SIXTEENTH = 60.0 / BPM / 4.0
PEAK_DBFS = -3.0          # sample peak of story_outside
BODY_PEAK_DBFS = -10.0    # sample peak of story_body
VOICE_OVER_MUSIC_DB = 8.0  # a line spoken over the groove: its RMS above the (ducked) music's, same frames
DUCK_DB = -4.0
LIMIT_DB = 6.0            # the master limiter's peak reduction            # the music is ridden down this much under a line (as a live mixer would)

rng = np.random.default_rng(20210)  # every noise and every humanised hit comes from this generator


def db(x):
    return 10.0 ** (x / 20.0)


def butter(x, kind, freq, order=2):
    sos = signal.butter(order, freq, btype=kind, fs=FS, output="sos")
    return signal.sosfilt(sos, x)


def seconds(n_or_s):
    return np.arange(int(round(n_or_s * FS))) / FS


def add(buf, x, t0, gain=1.0):
    """Adds x into buf starting at t0 seconds (clipped at the buffer's ends)."""
    i0 = int(round(t0 * FS))
    if i0 >= len(buf):
        return
    j0 = max(0, -i0)
    i0 = max(0, i0)
    n = min(len(x) - j0, len(buf) - i0)
    if n > 0:
        buf[i0:i0 + n] += gain * x[j0:j0 + n]


def noise(n):
    return rng.standard_normal(n)


def fade(n, attack_s, release_s):
    """Raised-cosine attack and release over n samples."""
    e = np.ones(n)
    a = min(n, int(attack_s * FS))
    r = min(n, int(release_s * FS))
    if a:
        e[:a] = 0.5 - 0.5 * np.cos(np.pi * np.arange(a) / a)
    if r:
        e[n - r:] *= 0.5 + 0.5 * np.cos(np.pi * np.arange(r) / r)
    return e


# ----------------------------------------------------------------------------------------------- drum kit
def kick(v):
    t = seconds(0.7)
    f = 47.0 + 100.0 * np.exp(-t / 0.028)               # the head's pitch drops fast after the beater
    body = np.sin(2 * np.pi * np.cumsum(f) / FS) * np.exp(-t / 0.22) * np.minimum(1.0, t / 0.0008)
    beater = butter(noise(len(t)), "bandpass", [1200, 6000]) * np.exp(-t / 0.0035) * 0.5
    x = np.tanh(1.6 * (body + beater)) / np.tanh(1.6)
    return v * x


def snare(v):
    t = seconds(0.5)
    shell = (0.55 * np.sin(2 * np.pi * 182 * t) * np.exp(-t / 0.055)
             + 0.30 * np.sin(2 * np.pi * 331 * t + 1.0) * np.exp(-t / 0.035))
    wires = butter(noise(len(t)), "bandpass", [1400, 9000]) * np.exp(-t / (0.10 + 0.06 * v))
    stick = butter(noise(len(t)), "highpass", 3000) * np.exp(-t / 0.002)
    x = shell * np.minimum(1.0, t / 0.0005) + 0.9 * wires + 0.5 * stick
    # softer hits are darker
    x = butter(x, "lowpass", 3500 + 8000 * v, order=1)
    return v * x


_HAT_FREQS = np.array([205.3, 304.4, 369.6, 522.7, 540.0, 800.0]) * 1.63


def metal(t):
    """Six detuned square waves: the classic metallic cymbal spectrum."""
    ph = rng.uniform(0, 2 * np.pi, len(_HAT_FREQS))
    return sum(np.sign(np.sin(2 * np.pi * f * t + p)) for f, p in zip(_HAT_FREQS, ph)) / len(_HAT_FREQS)


def hat(v, open_=False):
    t = seconds(0.9 if open_ else 0.25)
    tau = 0.28 if open_ else 0.035 + 0.012 * v
    x = 0.6 * metal(t) + 0.7 * noise(len(t))
    x = butter(x, "bandpass", [6500, 15000]) * np.exp(-t / tau) * np.minimum(1.0, t / 0.0004)
    return v * x


def crash(v):
    t = seconds(4.0)
    partials = np.zeros(len(t))
    for f in rng.uniform(420, 9000, 60):
        partials += np.sin(2 * np.pi * f * t + rng.uniform(0, 2 * np.pi)) * np.exp(-t / rng.uniform(0.15, 0.7))
    wash = butter(noise(len(t)), "highpass", 2500) * np.exp(-t / 0.5)
    hitn = butter(noise(len(t)), "highpass", 1500) * np.exp(-t / 0.02)
    x = 0.05 * partials + 0.8 * wash + 1.0 * hitn + 0.4 * metal(t) * np.exp(-t / 0.5)
    x = butter(x, "highpass", 350) * np.minimum(1.0, t / 0.001)
    return v * x


def tom(v, f0):
    t = seconds(0.9)
    f = f0 * (1.0 + 0.25 * np.exp(-t / 0.04))
    x = np.sin(2 * np.pi * np.cumsum(f) / FS) * np.exp(-t / 0.30)
    x += 0.25 * np.sin(2 * np.pi * np.cumsum(1.58 * f) / FS) * np.exp(-t / 0.12)
    x += butter(noise(len(t)), "bandpass", [800, 5000]) * np.exp(-t / 0.012) * 0.5
    return v * np.tanh(1.3 * x) / np.tanh(1.3)


def stick_click(v):
    t = seconds(0.12)
    x = np.sin(2 * np.pi * 2450 * t) * np.exp(-t / 0.012) + 0.6 * butter(noise(len(t)), "bandpass",
                                                                          [1500, 6000]) * np.exp(-t / 0.006)
    return v * x


# ------------------------------------------------------------------------------------------------- bass
NOTE = {"D2": 73.42, "E2": 82.41, "G2": 98.00, "A2": 110.00, "Bb2": 116.54, "E3": 164.81}


def bass_note(f0, length_s, v):
    t = seconds(length_s + 0.05)
    x = np.zeros(len(t))
    for k in range(1, int(3000 / f0) + 1):            # a band-limited sawtooth, two strings slightly apart
        x += np.sin(2 * np.pi * k * f0 * t) / k + 0.6 * np.sin(2 * np.pi * k * f0 * 1.004 * t + k) / k
    env = (0.55 + 0.45 * np.exp(-t / 0.09)) * fade(len(t), 0.004, 0.04)
    x = butter(x * env, "lowpass", 900)
    x = np.tanh(2.2 * x / np.max(np.abs(x))) / np.tanh(2.2)  # a driven amp
    return v * butter(x, "lowpass", 2500)


RIFF_A = ["E2", "E2", "E2", "E2", "G2", "G2", "A2", "A2"]
RIFF_B = ["E2", "E2", "E3", "E2", "D2", "D2", "G2", "Bb2"]


# ---------------------------------------------------------------------------------------------- the band
class Band:
    """Places humanised drum hits and bass notes on separate buses."""

    def __init__(self):
        self.drums = np.zeros(N)
        self.cymbals = np.zeros(N)
        self.bass = np.zeros(N)
        self.hits = []  # (time, instrument) of kick and snare hits, for the timing check

    def t(self, bar_start, step, jitter=0.005, push=0.0):
        return bar_start + step * SIXTEENTH + push + rng.normal(0.0, jitter)

    def vel(self, v, spread=0.07):
        return float(np.clip(v * (1.0 + rng.normal(0.0, spread)), 0.05, 1.2))

    def kick(self, t, v):
        add(self.drums, kick(self.vel(v)), t)
        self.hits.append((t, "kick"))

    def snare(self, t, v):
        add(self.drums, snare(self.vel(v)), t, 0.75)
        if v > 0.5:
            self.hits.append((t, "snare"))

    def groove_bar(self, s, variant, gain=1.0, hat_open_last=False):
        kicks = [0, 8, 10] if variant == 0 else [0, 6, 8, 10, 14]
        for k in kicks:
            self.kick(self.t(s, k), gain * (1.0 if k in (0, 8) else 0.85))
        for k in (4, 12):
            self.snare(self.t(s, k, push=0.006), gain * 0.95)  # the backbeat sits a hair late
        for k in (7, 15) if variant == 1 else (15,):
            if rng.random() < 0.7:
                self.snare(self.t(s, k, jitter=0.008), gain * 0.18)  # ghost notes
        for k in range(0, 16, 2):
            open_ = hat_open_last and k == 14
            v = 0.9 if k % 4 == 0 else 0.6
            add(self.cymbals, hat(self.vel(v * gain, 0.12), open_), self.t(s, k, jitter=0.006), 0.5)
        riff = RIFF_A if variant == 0 else RIFF_B
        for i, name in enumerate(riff):
            add(self.bass, bass_note(NOTE[name], 2 * SIXTEENTH - 0.02, self.vel(gain, 0.05)),
                self.t(s, 2 * i, jitter=0.004))

    def crash(self, t, v):
        add(self.cymbals, crash(self.vel(v, 0.03)), t, 0.4)

    def fill_bar(self, s, gain=1.0):
        """First half groove, second half a sixteenth-note fill down the toms, louder as it goes."""
        self.kick(self.t(s, 0), gain)
        self.snare(self.t(s, 4, push=0.006), gain * 0.95)
        for k in (0, 2, 4, 6):
            add(self.cymbals, hat(self.vel((0.9 if k % 4 == 0 else 0.6) * gain, 0.12)), self.t(s, k), 0.5)
        add(self.bass, bass_note(NOTE["E2"], 4 * SIXTEENTH, gain), self.t(s, 0, jitter=0.003))
        pattern = ["S", "S", 190, 190, 135, 135, 95, 95]
        for i, p in enumerate(pattern):
            tt = self.t(s, 8 + i, jitter=0.004)
            v = gain * (0.7 + 0.3 * i / 7)
            if p == "S":
                self.snare(tt, v)
            else:
                add(self.drums, tom(self.vel(v), p), tt, 0.8)
        self.kick(self.t(s, 12), gain * 0.8)


def rehearsal_ir():
    """A small, fairly live rehearsal room: a few early reflections and a 0.7 s exponential tail."""
    n = int(0.9 * FS)
    t = np.arange(n) / FS
    ir = np.zeros(n)
    for d, g in [(0.007, 0.5), (0.011, 0.4), (0.017, 0.35), (0.023, 0.3), (0.031, 0.22)]:
        ir[int(d * FS)] += g * rng.choice([-1, 1])
    tail = noise(n) * np.exp(-t * 6.91 / 0.7) * np.minimum(1.0, t / 0.02)
    ir += 0.12 * butter(tail, "lowpass", 5000)
    return ir


# ---------------------------------------------------------------------------------------------- voices
VOICE_LINES = [
    # start_s, rate (1 = Festival's own), text, over the groove?, must end by (s)
    (0.30, 1.00, "From the top!", False, 1.95),
    (6.30, 1.00, "That's it. Keep it tight.", True, 9.4),
    (9.60, 1.00, "Now bring it up. Louder!", True, 12.0),
    (20.70, 1.00, "Hey. Why did you stop? Are you okay?", False, 23.9),
    (24.30, 1.00, "Look at me. Can you hear me?", False, 26.9),
    (27.20, 1.00, "Sit down. We'll get help.", False, 29.6),
    (35.00, 0.85, "Everything has healed well. We'll switch it on now.", False, 39.2),
    (40.50, 0.78, "Can you hear my voice?", False, 42.5),
    (42.60, 0.78, "It may sound strange at first. A little like metal.", False, 47.4),
    (48.50, 0.78, "Your brain will learn.", False, 50.5),
    (52.40, 1.00, "How does it sound now?", False, 54.4),
]
QUIET_VOICE_RE_GROOVE_DB = -7.0  # a line in a quiet room: its active RMS against the groove's RMS (bars 4-12)


def synthesise_line(text, rate, tmp, i):
    txt = os.path.join(tmp, f"line{i}.txt")
    with open(txt, "w") as f:
        f.write(text + "\n")
    raw = os.path.join(tmp, f"line{i}.32k.wav")
    wav = os.path.join(tmp, f"line{i}.wav")
    params = f'(set! hts_engine_params (append hts_engine_params (list (list "-r" {rate:.3f}))))'
    subprocess.run(["text2wave", "-eval", "(voice_cmu_us_slt_arctic_hts)", "-eval", params, "-o", raw, txt],
                   check=True)
    subprocess.run(["sox", "-D", raw, "-r", str(FS), "-b", "32", "-e", "floating-point", "-c", "1", wav,
                    "rate", "-v"], check=True)
    x, fs = sf.read(wav, dtype="float64")
    assert fs == FS
    # trim the synthesiser's leading/trailing silence
    e = np.flatnonzero(np.abs(x) > 1e-3 * np.max(np.abs(x)))
    x = x[max(0, e[0] - 200):e[-1] + 200]
    return x * fade(len(x), 0.005, 0.02)


def limit(x, ceiling, window_s=0.005):
    """A look-ahead peak limiter: the gain that keeps |x| under ceiling, widened to a minimum over window_s
    around each sample and then smoothed over the same window (so it never exceeds the needed gain at a
    peak), applied to x."""
    need = np.minimum(1.0, ceiling / np.maximum(np.abs(x), 1e-12))
    w = max(1, int(window_s * FS))
    g = ndimage.minimum_filter1d(need, 2 * w + 1)
    g = ndimage.uniform_filter1d(g, w)
    return x * np.minimum(g, need)  # min(): exact at the rare sample the smoothing still overshoots


def active_rms(x, ref=None):
    """RMS over 10 ms frames within 15 dB of the loudest frame (of ref if given: same frames)."""
    ref = x if ref is None else ref
    L = int(0.01 * FS)
    n = len(ref) // L
    fr = np.sqrt(np.mean(ref[:n * L].reshape(n, L) ** 2, axis=1) + 1e-20)
    sel = fr > np.max(fr) * db(-15)
    return float(np.sqrt(np.mean(x[:n * L].reshape(n, L)[sel] ** 2)))


# --------------------------------------------------------------------------------------- everyday sounds
def cup_tap(v):
    """A spoon on a ceramic cup: a click and a few inharmonic modes."""
    t = seconds(1.2)
    x = np.zeros(len(t))
    for f, a, tau in [(2130, 1.0, 0.35), (3870, 0.7, 0.22), (5590, 0.5, 0.15), (7710, 0.35, 0.09), (9800, 0.2, 0.05)]:
        x += a * np.sin(2 * np.pi * f * (1 + rng.normal(0, 0.002)) * t) * np.exp(-t / tau)
    x += butter(noise(len(t)), "highpass", 2000) * np.exp(-t / 0.0015) * 2.0
    return v * x * np.minimum(1.0, t / 0.0003)


def room_tone(kind):
    if kind == "rehearsal":  # amplifier hum and a little hiss
        t = np.arange(N) / FS
        hum = sum(a * np.sin(2 * np.pi * f * t + p) for f, a, p in [(50, 1.0, 0), (100, 0.5, 1), (150, 0.35, 2),
                                                                     (250, 0.12, 3)])
        hiss = butter(noise(N), "lowpass", 4000)
        return db(-60) * hum / np.sqrt(np.mean(hum ** 2)) + db(-66) * hiss / np.std(hiss)
    air = butter(noise(N), "lowpass", 350, order=3)        # a quiet clinic room: ventilation
    return db(-58) * air / np.std(air)


# ------------------------------------------------------------------------------------------------ outside
def make_outside(tmp):
    band = Band()
    # count-in on the sticks, then 4 bars, a fill, and in at 14 s
    for k in range(4):
        add(band.drums, stick_click(0.5 if k < 3 else 0.7), 2.0 + 0.5 * k + rng.normal(0, 0.004))
    band.crash(4.0, 0.9)
    for i, s in enumerate([4.0, 6.0, 8.0, 10.0]):
        band.groove_bar(s, i % 2, hat_open_last=(i == 3))
    band.fill_bar(12.0)
    band.crash(14.0, 1.0)                                 # the downbeat of the loss (scene: pop at 14 s)
    for i, s in enumerate([14.0, 16.0, 18.0]):
        band.groove_bar(s, i % 2)
    band.crash(20.0, 0.8)                                 # he stops playing: one last hit
    band.kick(20.0, 0.9)
    add(band.bass, bass_note(NOTE["E2"], 0.6, 0.9), 20.0)
    # months later: the groove again, from the next room
    late_start = 54.5
    late = Band()
    late.crash(late_start, 0.6)
    for i, s in enumerate([54.5, 56.5, 58.5]):
        late.groove_bar(s, i % 2, gain=0.8)

    ir = rehearsal_ir()

    def mixdown(b, reverb_db):
        dry = b.drums + b.cymbals + 0.55 * b.bass
        wet = signal.fftconvolve(b.drums + b.cymbals, ir)[:N]
        return butter(dry + db(reverb_db) * wet, "lowpass", 16000, order=4)  # the room mics' top end

    music = mixdown(band, -6.0)
    distant = butter(mixdown(late, 0.0), "lowpass", 4500)  # through a wall: duller, more room
    music_late_gain = db(-10)

    groove = slice(int(4.0 * FS), int(12.0 * FS))
    groove_rms = float(np.sqrt(np.mean(music[groove] ** 2)))

    # voices
    voice = np.zeros(N)
    duck = np.zeros(N)  # 0 = no ducking, 1 = full ducking
    report = []
    lines = []
    for i, (t0, rate, text, over, end_by) in enumerate(VOICE_LINES):
        x = synthesise_line(text, rate, tmp, i)
        t1 = t0 + len(x) / FS
        assert t1 <= end_by, f"line {i} '{text}' ends at {t1:.2f} s, after {end_by} s"
        lines.append((t0, t1, x, over, text))
        if over:
            add(duck, fade(int((t1 - t0 + 0.3) * FS), 0.15, 0.3), t0 - 0.15)
    duck = np.clip(duck, 0, 1)
    music = music * (1.0 - (1.0 - db(DUCK_DB)) * duck)
    for t0, t1, x, over, text in lines:
        i0, i1 = int(t0 * FS), int(t0 * FS) + len(x)
        if over:
            target = active_rms(music[i0:i1], ref=x) * db(VOICE_OVER_MUSIC_DB)
            wet = db(-16)  # through the PA into the room
        else:
            target = groove_rms * db(QUIET_VOICE_RE_GROOVE_DB)
            wet = db(-22) if t0 < 30 else 0.0
        y = x * target / active_rms(x)
        if wet:  # the room's answer, with its whole tail
            y = np.concatenate([y, np.zeros(len(ir) - 1)]) + wet * signal.fftconvolve(y, ir)
        add(voice, y, t0)
        report.append((t0, t1, text, over))

    taps = np.zeros(N)
    for t, v in [(47.5, 1.0), (47.85, 0.8), (48.17, 0.9)]:
        add(taps, cup_tap(v), t + rng.normal(0, 0.01))
    taps *= groove_rms * db(-14) / np.sqrt(np.mean(taps[int(47.45 * FS):int(48.5 * FS)] ** 2))

    # room tone: the rehearsal room until 30 s, then a quiet clinic room (crossfaded over 0.4 s)
    x = np.clip((np.arange(N) / FS - 29.8) / 0.4, 0, 1)
    tone = (1 - x) * room_tone("rehearsal") + x * room_tone("clinic")

    # everything is scaled together below; the room tone's level is given re full scale after scaling
    scene = music + music_late_gain * distant + voice + taps
    # a master limiter takes the top LIMIT_DB off the loudest peaks (the shouted lines and the hardest hits)
    scene = limit(scene, np.max(np.abs(scene)) * db(-LIMIT_DB))
    scale = db(PEAK_DBFS) / np.max(np.abs(scene))
    out = scene * scale + tone
    out *= db(PEAK_DBFS) / np.max(np.abs(out))
    out *= fade(N, 0.0, 1.2)  # the last bar fades out
    stems = {"music": (music + music_late_gain * distant) * scale, "voice": voice * scale, "taps": taps * scale}
    return out, stems, report, band.hits


# ---------------------------------------------------------------------------------------------------- body
def piecewise(points, t):
    """Piecewise-linear through (time, value) points (two close points make a jump)."""
    ts = np.array([p[0] for p in points])
    vs = np.array([p[1] for p in points])
    return np.interp(t, ts, vs)


HEART_BPM = [(0, 104), (14, 106), (16, 124), (22, 118), (29.99, 110), (30, 64), (40, 64), (42, 88), (46, 80),
             (52, 70), (60, 66)]
BREATHS_PER_MIN = [(0, 20), (14, 21), (16, 30), (24, 26), (29.99, 24), (30, 11), (40, 11), (42.5, 16),
                   (52, 13), (60, 12)]


def heartbeat(v, bpm):
    t = seconds(0.5)
    lub = (np.sin(2 * np.pi * 42 * t) + 0.6 * np.sin(2 * np.pi * 68 * t + 0.5)
           + 0.25 * np.sin(2 * np.pi * 115 * t)) * (t / 0.012) * np.exp(1 - t / 0.012) * np.exp(-t / 0.06)
    t_dub = 0.34 - 0.0016 * (bpm - 60)                     # systole shortens as the heart speeds up
    td = np.clip(t - t_dub, 0, None)
    dub = ((np.sin(2 * np.pi * 60 * td) + 0.5 * np.sin(2 * np.pi * 105 * td)) * (td / 0.008)
           * np.exp(1 - td / 0.008) * np.exp(-td / 0.04)) * (t >= t_dub)
    # the valves' snap: a little energy at 150-300 Hz, so the beat is heard on small speakers too
    snap = butter(noise(len(t)), "bandpass", [150, 300]) * (t / 0.006) * np.exp(1 - t / 0.006)
    snap += 0.7 * butter(noise(len(t)), "bandpass", [150, 300]) * (td / 0.005) * np.exp(1 - td / 0.005) * (t >= t_dub)
    return v * (butter(lub + 0.65 * dub, "lowpass", 180) + 0.35 * snap)


def breath(inhale_s, exhale_s, v, gasp=False):
    n_in, n_out = int(inhale_s * FS), int(exhale_s * FS)
    x_in = butter(noise(n_in), "bandpass", [350, 2200] if not gasp else [400, 3000])
    x_in += 0.5 * butter(noise(n_in), "bandpass", [1000, 1400])   # a soft resonance of the airway
    x_in *= np.sin(np.pi * np.arange(n_in) / n_in) ** (1.5 if not gasp else 0.7)
    x_out = butter(noise(n_out), "bandpass", [200, 1400])
    x_out *= np.sin(np.pi * np.arange(n_out) / n_out) ** 2 * 0.8
    return v * np.concatenate([x_in, x_out])


def swallow():
    t = seconds(0.6)
    click = butter(noise(len(t)), "bandpass", [600, 2000]) * np.exp(-t / 0.004)
    gulp_t = np.clip(t - 0.12, 0, None)
    gulp = np.sin(2 * np.pi * (140 - 60 * np.minimum(gulp_t / 0.15, 1)) * gulp_t) * (t > 0.12) * np.exp(-gulp_t / 0.07)
    slosh = butter(noise(len(t)), "bandpass", [150, 700]) * np.exp(-((t - 0.25) / 0.08) ** 2)
    return 0.4 * click + 0.8 * gulp + 0.5 * slosh


def make_body():
    heart = np.zeros(N)
    beats = []
    t = 0.35
    while t < DURATION_S:
        bpm = piecewise(HEART_BPM, t)
        add(heart, heartbeat(1.0 + rng.normal(0, 0.05), bpm), t)
        beats.append(t)
        t += 60.0 / bpm * (1.0 + rng.normal(0, 0.015))

    # blood rush: a low rumble that swells with each pulse
    pulse = np.zeros(N)
    tp = seconds(0.6)
    shape = (tp / 0.08) * np.exp(1 - tp / 0.08)
    for b in beats:
        add(pulse, shape, b + 0.05)
    rush = butter(noise(N), "lowpass", 110, order=3) * (0.35 + pulse)

    lungs = np.zeros(N)
    breaths = []
    t = 0.8
    while t < DURATION_S:
        if 39.2 <= t < 40.15:
            t = 40.15                                     # holding breath before the switch-on ...
        if abs(t - 40.15) < 1e-9:                         # ... a gasp as the sound comes on
            add(lungs, breath(0.45, 2.6, 1.4, gasp=True), t)
            breaths.append(t)
            t += 0.45 + 1.2 + 2.6
            continue
        period = 60.0 / piecewise(BREATHS_PER_MIN, t) * (1.0 + rng.normal(0, 0.04))
        v = 0.9 if 14 < t < 30 else (0.55 if 30 <= t < 40 else 0.7)
        add(lungs, breath(0.38 * period, 0.5 * period, v * (1 + rng.normal(0, 0.08))), t)
        breaths.append(t)
        t += period
        if t < 39.2 <= t + 60.0 / piecewise(BREATHS_PER_MIN, t):
            t = 39.2

    gulps = np.zeros(N)
    for ts in (34.2, 49.0):
        add(gulps, swallow(), ts)

    # balance: heart is the backbone; breathing and rush underneath (re the heart's peak)
    hp = np.max(np.abs(heart))
    body = (heart / hp + db(-16) * lungs / np.max(np.abs(lungs)) + db(-26) * rush / np.max(np.abs(rush))
            + db(-12) * gulps / np.max(np.abs(gulps)))
    body = butter(body, "lowpass", 1500, order=4)         # heard through the body, not the air
    body = butter(body, "highpass", 22)
    body *= db(BODY_PEAK_DBFS) / np.max(np.abs(body))
    body *= fade(N, 0.5, 0.5)
    return body, beats, breaths


# ----------------------------------------------------------------------------------------------- report
def timing_check(hits):
    """How far the kick and backbeat hits lie from the 120 BPM grid that starts at 4 s."""
    dev = []
    for t, inst in hits:
        if 4.0 <= t < 20.0:
            g = 4.0 + round((t - 4.0) / SIXTEENTH) * SIXTEENTH
            dev.append(t - g)
    dev = np.array(dev) * 1000
    return len(dev), float(np.mean(dev)), float(np.std(dev)), float(np.max(np.abs(dev)))


def beat_periods(x):
    """Measured from the audio: the autocorrelation of the spectral flux over 4-20 s (the groove), and the
    lag of its largest peak near 0.25, 0.5, 1 and 2 s (an eighth note, a beat, two beats, a bar at 120 BPM)."""
    seg = x[int(4 * FS):int(20 * FS)]
    hop = 256
    _, _, S = signal.stft(seg, FS, nperseg=1024, noverlap=1024 - hop)
    flux = np.maximum(np.diff(np.log(np.abs(S) + 1e-6), axis=1), 0).sum(axis=0)
    flux -= flux.mean()
    ac = np.correlate(flux, flux, "full")[len(flux) - 1:]
    out = []
    for lag in (0.25, 0.5, 1.0, 2.0):
        k = int(round(lag * FS / hop))
        j = k - 4 + int(np.argmax(ac[k - 4:k + 5]))
        out.append((lag, j * hop / FS, ac[j] / ac[0]))
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make-demo-material.py OUTDIR")
    outdir = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        outside, stems, lines, hits = make_outside(tmp)
    body, beats, breaths = make_body()
    sf.write(os.path.join(outdir, "story_outside.wav"), outside.astype(np.float32), FS, subtype="FLOAT")
    sf.write(os.path.join(outdir, "story_body.wav"), body.astype(np.float32), FS, subtype="FLOAT")

    def dbfs(x):
        return 20 * np.log10(max(np.sqrt(np.mean(x ** 2)), 1e-12))

    print(f"outside: {N / FS:.2f} s, peak {20 * np.log10(np.max(np.abs(outside))):.2f} dBFS, "
          f"RMS {dbfs(outside):.1f} dBFS; groove 4-12 s RMS {dbfs(outside[int(4 * FS):int(12 * FS)]):.1f} dBFS")
    for t0, t1, text, over in lines:
        i0, i1 = int(t0 * FS), int(t1 * FS)
        v, m = stems["voice"][i0:i1], stems["music"][i0:i1]
        va = active_rms(v)
        ma = active_rms(m, ref=v)
        rel = f"music {20 * np.log10(va / ma):+.1f} dB" if ma > 1e-6 else "no music"
        print(f"  {t0:5.2f}-{t1:5.2f} s  voice {20 * np.log10(va):6.1f} dBFS active, {rel}:  {text}")
    n, mean, sd, mx = timing_check(hits)
    print(f"groove timing as placed (kick and backbeat, 4-20 s): {n} hits, off the 120 BPM grid by mean {mean:+.1f} ms, "
          f"sd {sd:.1f} ms, max {mx:.1f} ms")
    print("groove periodicity (spectral-flux autocorrelation, 4-20 s): " + ", ".join(
        f"{lag} s -> {found:.3f} s ({r:.2f})" for lag, found, r in beat_periods(outside)))
    print(f"body: peak {20 * np.log10(np.max(np.abs(body))):.2f} dBFS, RMS {dbfs(body):.1f} dBFS; "
          f"{len(beats)} heartbeats, {len(breaths)} breaths")


if __name__ == "__main__":
    main()
