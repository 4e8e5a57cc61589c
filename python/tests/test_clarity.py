"""The Clarity MSBG drop-in (earshot.clarity) called as the Clarity recipes call it, against MSBG's own renders.

Fixtures: tests/data (README there: the MSBG renders of the Clarity toolkit at commit 9df6486f, their gains and how
they are compared). Each input file is MSBG's input x 10^(30/20), each reference MSBG's output x 10^(G/20); the
drop-in's output is on MSBG's scale already (its calibration is MSBG's), so only the files' gains are undone.
Bounds (README): third-octave mean |delta| <= 1.5 dB, max <= 3 dB, octave-band envelope r (median) >= 0.95.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile

from earshot.clarity import (
    AUDIOGRAM_REF_CLARITY,
    Audiogram,
    Ear,
    Listener,
    compare_renders,
    load_listener_dict,
)

DATA = Path(__file__).resolve().parents[2] / "tests" / "data"
FS = 44100

# The recipes' Ear configuration (recipes/cec1/baseline/config.yaml, MSBGEar).
MSBG_EAR = {"src_pos": "ff", "sample_rate": 44100, "equiv_0db_spl": 100, "ahr": 20}

# Bisgaard et al. 2010 standard audiograms (dB HL at these frequencies), as the fixtures were made with.
BISGAARD_HZ = [250, 375, 500, 750, 1000, 1500, 2000, 3000, 4000, 6000]
BISGAARD = {
    "N2": [20, 20, 20, 22.5, 25, 30, 35, 40, 45, 50],
    "N3": [35, 35, 35, 35, 40, 45, 50, 55, 60, 65],
    "N4": [55, 55, 55, 55, 55, 60, 65, 70, 75, 80],
    "S1": [10, 10, 10, 10, 10, 10, 15, 30, 55, 70],
    "S2": [20, 20, 20, 22.5, 25, 35, 55, 75, 95, 95],
    "S3": [30, 30, 35, 47.5, 60, 70, 75, 80, 80, 85],
}

# (input file, reference file, audiogram, the reference's gain G in dB) - tests/data/README.md.
FIXTURES = [
    ("msbg_input_speech_10s.flac", "msbg_output_NH.flac", None, 30.0),
    ("msbg_input_speech_10s.flac", "msbg_output_N2.flac", "N2", 45.0),
    ("extra_in_music.flac", "extra_msbg_music_N4.flac", "N4", 90.0),
    ("extra_in_pink.flac", "extra_msbg_pink_N3.flac", "N3", 70.0),
    ("extra_in_voice.flac", "extra_msbg_voice_S2.flac", "S2", 44.0),
    ("extra_in_music.flac", "extra_msbg_music_S1.flac", "S1", 43.0),
    ("extra_in_voice.flac", "extra_msbg_voice_N4.flac", "N4", 76.0),
    ("extra_in_pink.flac", "extra_msbg_pink_S3.flac", "S3", 68.0),
]


def read(name: str) -> np.ndarray:
    x, fs = soundfile.read(DATA / name, dtype="float64")
    assert fs == FS
    return x


def msbg_input(name: str) -> np.ndarray:
    """What MSBG was handed: the file - 30 dB."""
    return read(name) * 10 ** (-30 / 20)


def audiogram(name: str | None) -> Audiogram:
    if name is None:
        return AUDIOGRAM_REF_CLARITY
    return Audiogram(levels=BISGAARD[name], frequencies=BISGAARD_HZ)


def unit_impulse(n: int, at: int) -> np.ndarray:
    d = np.zeros(n)
    d[at] = 1.0
    return d


def listen(ear: Ear, signal: np.ndarray, listener: Listener) -> np.ndarray:
    """The recipes' listen() (recipes/cec1/baseline/evaluate.py): one ear per channel, stacked to N x 2."""
    ear.set_audiogram(listener.audiogram_left)
    out_l = ear.process(signal[:, 0])
    ear.set_audiogram(listener.audiogram_right)
    out_r = ear.process(signal[:, 1])
    assert len(out_l[0]) == len(out_r[0])  # the recipes pad here when MSBG's lengths differ; ours never do
    return np.concatenate([out_l, out_r]).T


def find_delay_impulse(ddf: np.ndarray, initial_value: int = 22050) -> np.ndarray:
    """What the recipes' find_delay_impulse returns (clarity.evaluator.mbstoi.mbstoi_utils): per channel, the
    index of the largest sample minus where the impulse was."""
    return np.array([int(np.argmax(ddf[:, c])) - initial_value for c in range(ddf.shape[1])])


@pytest.mark.parametrize("inp,ref,aud,gain_db", FIXTURES, ids=[f[1].split(".")[0] for f in FIXTURES])
def test_drop_in_meets_the_msbg_bounds(inp, ref, aud, gain_db):
    x = msbg_input(inp)
    ear = Ear(**MSBG_EAR)
    ear.set_audiogram(audiogram(aud))
    out = ear.process(x)
    assert isinstance(out, list) and len(out) == 1
    assert out[0].dtype == np.float64 and out[0].shape == x.shape  # aligned and as long as the input
    reference = read(ref) * 10 ** (-gain_db / 20)
    r = compare_renders(reference, out[0], FS, 4000)
    print(f"[ clarity drop-in ] {ref}: third-octave mean |delta| {r['mean_abs_delta_db']:.2f} dB, "
          f"max {r['max_abs_delta_db']:.2f} dB; envelope r median {r['median_envelope_r']:.3f}; "
          f"MSBG lag {r['lag_samples']} samples; re-levelled {ear.last_calibration['relevel_db']:.2f} dB, "
          f"presented at {ear.last_calibration['presentation_db_spl']:.1f} dB SPL")
    assert r["mean_abs_delta_db"] <= 1.5
    assert r["max_abs_delta_db"] <= 3.0
    assert r["median_envelope_r"] >= 0.95
    # MSBG is delayed (about 1078 samples normal, 1270 smeared); the drop-in's output is aligned.
    assert r["lag_samples"] < -1000


def test_fixture_speech_is_presented_as_msbg_presents_it():
    # tests/data/README.md: MSBG re-levels the fixture speech by -1.97 dB and presents it at 65.0 dB SPL.
    ear = Ear(**MSBG_EAR)
    ear.process(msbg_input("msbg_input_speech_10s.flac"))
    assert ear.last_calibration["relevel_db"] == pytest.approx(-1.97, abs=0.005)
    assert ear.last_calibration["presentation_db_spl"] == pytest.approx(65.0, abs=0.01)


def test_recipe_listen_loop_and_find_delay_impulse():
    """CEC1's run_HL_processing for one scene: the DDF through the reference and the impaired listener, the
    signal through the impaired one; find_delay_impulse on the DDF outputs then finds no delay."""
    x = msbg_input("msbg_input_speech_10s.flac")[: 4 * FS]
    signal = np.stack([x, 0.7 * x], axis=1)
    ddf = np.stack([unit_impulse(len(x), FS // 2)] * 2, axis=1)
    ear = Ear(**MSBG_EAR)
    reference = Listener(AUDIOGRAM_REF_CLARITY, AUDIOGRAM_REF_CLARITY)
    impaired = Listener(audiogram("N2"), audiogram("S2"), id="L0001")
    outs = [listen(ear, ddf, reference), listen(ear, signal, impaired), listen(ear, ddf, impaired)]
    for out in outs:
        assert out.shape == signal.shape
    assert list(find_delay_impulse(outs[0], FS // 2)) == [0, 0]
    assert list(find_delay_impulse(outs[2], FS // 2)) == [0, 0]


@pytest.mark.parametrize("shape", ["N", "Nx1", "Nx2"])
def test_input_shapes(shape):
    rng = np.random.default_rng(1)
    x = rng.standard_normal(FS) * 1e-3
    ear = Ear(**MSBG_EAR)
    ear.set_audiogram(audiogram("N3"))
    mono = ear.process(x)
    arg = {"N": x, "Nx1": x[:, None], "Nx2": np.stack([x, x], axis=1)}[shape]
    out = ear.process(arg)
    assert len(out) == (2 if shape == "Nx2" else 1)
    # Identical channels: the same calibration (channel 0's active level, all channels' RMS), the same output
    # (to the rounding of the RMS summed over one or two channels in double precision).
    for channel in out:
        np.testing.assert_allclose(channel, mono[0], rtol=1e-12, atol=0)


def test_stereo_is_re_levelled_by_channel_zero_like_msbg():
    # Channel 0 half silent, channel 1 continuous: MSBG gates channel 0 and pools the RMS of both, so the gain
    # is 10 log10(3/4) dB on both channels.
    t = np.arange(FS) / FS
    tone = 0.01 * np.sin(2 * np.pi * 1000 * t)
    gated = np.where(t < 0.5, tone, 0.0)
    ear = Ear(**MSBG_EAR)
    out = ear.process(np.stack([gated, tone], axis=1))
    assert ear.last_calibration["relevel_db"] == pytest.approx(10 * np.log10(0.75), abs=1e-4)
    # No audiogram set: as MSBG without a cochlea (its ear filter and inverse cancel), the signal comes back on
    # the re-levelled scale.
    g = 10 ** (ear.last_calibration["relevel_db"] / 20)
    np.testing.assert_allclose(out[0], gated * g, rtol=1e-12, atol=0)
    np.testing.assert_allclose(out[1], tone * g, rtol=1e-12, atol=0)


def test_only_the_sum_equiv_0db_spl_plus_ahr_matters_and_the_scale_is_relative():
    x = msbg_input("msbg_input_speech_10s.flac")[: 3 * FS]
    a = Ear(equiv_0db_spl=100, ahr=20)
    b = Ear(equiv_0db_spl=90, ahr=30)
    c = Ear(equiv_0db_spl=110, ahr=20)  # RMS 1.0 is 10 dB louder: the same sound is x / 10^(10/20)
    for ear in (a, b, c):
        ear.set_audiogram(audiogram("N2"))
    ya = a.process(x)[0]
    np.testing.assert_array_equal(b.process(x)[0], ya)
    k = 10 ** (-10 / 20)
    yc = c.process(x * k)[0]
    # The engine computes in float32 (relative rounding 6e-8 per operation, accumulated through its filters).
    np.testing.assert_allclose(yc, ya * k, rtol=0, atol=1e-5 * np.max(np.abs(ya)))


def test_any_sample_rate_meets_the_bounds_at_48k():
    """The fixture resampled to 48 kHz (what MSBG cannot take) against MSBG's 44.1 kHz render resampled alike."""
    from scipy.signal import resample_poly

    x = resample_poly(msbg_input("msbg_input_speech_10s.flac"), 160, 147)
    ear = Ear(src_pos="ff", sample_rate=48000, equiv_0db_spl=100, ahr=20)
    ear.set_audiogram(audiogram("N2"))
    out = ear.process(x)[0]
    assert out.shape == x.shape
    reference = resample_poly(read("msbg_output_N2.flac") * 10 ** (-45 / 20), 160, 147)
    r = compare_renders(reference, out, 48000, 4400)
    print(f"[ clarity drop-in ] N2 at 48 kHz: third-octave mean |delta| {r['mean_abs_delta_db']:.2f} dB, "
          f"max {r['max_abs_delta_db']:.2f} dB; envelope r median {r['median_envelope_r']:.3f}")
    assert r["mean_abs_delta_db"] <= 1.5
    assert r["max_abs_delta_db"] <= 3.0
    assert r["median_envelope_r"] >= 0.95


def test_apply_smear():
    x = msbg_input("msbg_input_speech_10s.flac")[: 2 * FS]
    ear = Ear(**MSBG_EAR)
    # Class NOTHING has no smearing: the switch changes nothing.
    flat = Audiogram(levels=[10] * 8)
    ear.set_audiogram(flat, apply_smear=True)
    on = ear.process(x)[0]
    ear.set_audiogram(flat, apply_smear=False)
    np.testing.assert_array_equal(ear.process(x)[0], on)
    # MODERATE smears: off changes the output.
    ear.set_audiogram(audiogram("N2"), apply_smear=True)
    on = ear.process(x)[0]
    ear.set_audiogram(audiogram("N2"), apply_smear=False)
    assert not np.array_equal(ear.process(x)[0], on)


@pytest.mark.parametrize(
    "levels,severity",
    [
        ([0] * 8, "NOTHING"),
        ([0, 0, 0, 15, 15, 15, 15, 15], "NOTHING"),  # mean 2-8 kHz exactly 15: not > 15
        ([0, 0, 0, 16, 16, 16, 16, 16], "MILD"),
        ([0, 0, 0, 35, 35, 35, 35, 35], "MILD"),
        ([0, 0, 0, 30, 40, 36, 36, 38], "MODERATE"),  # mean 36
        ([80, 80, 80, 56, 56, 56, 56, 56], "MODERATE"),  # below 2 kHz does not count
        ([0, 0, 0, 50, 60, 60, 60, 60], "SEVERE"),  # mean 58
        ([0, 0, 0, 20, None, 20, 20, 20], "MILD"),  # None is left out
    ],
)
def test_severity_follows_clarity(levels, severity):
    assert Audiogram(levels=levels).severity == severity


def test_bisgaard_severities():
    # hl-anchors.md section 2.4: N2 -> MODERATE; N4, S2 -> SEVERE (mean of the points at 2-6 kHz).
    assert audiogram("N2").severity == "MODERATE"
    assert audiogram("N4").severity == "SEVERE"
    assert audiogram("S2").severity == "SEVERE"
    assert audiogram("S1").severity == "MODERATE"  # 15, 30, 55, 70 -> 42.5


def test_listener_files(tmp_path):
    entries = {
        "L0001": {"name": "L0001", "audiogram_cfs": [250, 500, 1000, 2000, 3000, 4000, 6000, 8000],
                  "audiogram_levels_l": [10, 10, 20, 30, 40, 50, 55, 60],
                  "audiogram_levels_r": [5, 10, 15, 25, 35, 45, 50, 55]},
        "L0002": {"name": "L0002", "audiogram_cfs": [250, 500, 1000, 2000, 3000, 4000, 6000, 8000],
                  "audiogram_levels_l": [0] * 8, "audiogram_levels_r": [0] * 8},
    }
    path = tmp_path / "listeners.json"
    path.write_text(json.dumps(entries), encoding="utf-8")
    listeners = load_listener_dict(path)
    assert list(listeners) == ["L0001", "L0002"]
    assert listeners["L0001"].id == "L0001"
    np.testing.assert_array_equal(listeners["L0001"].audiogram_right.levels, [5, 10, 15, 25, 35, 45, 50, 55])
    assert listeners["L0001"].audiogram_left.severity == "MODERATE"  # mean 2-8 kHz 47
    assert Listener.load_listener_dict(path)["L0002"].audiogram_left.severity == "NOTHING"
    same = Listener.from_dict(entries["L0001"])
    np.testing.assert_array_equal(same.audiogram_left.frequencies, entries["L0001"]["audiogram_cfs"])


def test_resample_is_log_frequency_and_flat_outside():
    a = Audiogram(levels=[10, 30], frequencies=[1000, 4000])
    r = a.resample(np.array([500, 2000, 8000]))
    np.testing.assert_allclose(r.levels, [10, 20, 30])  # 2 kHz is half way on a log axis
    lin = a.resample(np.array([2500]), linear_frequency=True)
    np.testing.assert_allclose(lin.levels, [20])


def test_bad_input_is_one_line_valueerror():
    with pytest.raises(ValueError, match="src_pos"):
        Ear(src_pos="front")
    with pytest.raises(ValueError, match="must have|same length"):
        Audiogram(levels=[0, 0], frequencies=[250, 500, 1000])
    with pytest.raises(ValueError, match="ascending"):
        Audiogram(levels=[0, 0], frequencies=[500, 250])
    ear = Ear()
    with pytest.raises(ValueError, match="add_calibration"):
        ear.process(np.zeros(100), add_calibration=True)
    with pytest.raises(ValueError, match="shape"):
        ear.process(np.zeros((2, 3, 4)))
    with pytest.raises(ValueError, match=r"equiv_0db_spl \+ ahr") as e:
        Ear(equiv_0db_spl=150.0).process(np.full(4410, 0.01))
    assert "\n" not in str(e.value)


@pytest.mark.parametrize("src_pos,field", [("ff", "free"), ("df", "diffuse"), ("ITU", "erp")])
def test_the_render_is_the_clis(tmp_path, cli, src_pos, field):
    """ear.process(x) is `earshot render` of x with the listener, --ear left, the sound field of src_pos and the
    calibration the drop-in reports (last_calibration), times MSBG's re-levelling gain: bit for bit."""
    x = msbg_input("msbg_input_speech_10s.flac")[: 3 * FS].astype(np.float32)
    entry = {"name": "L0001", "audiogram_cfs": BISGAARD_HZ,
             "audiogram_levels_l": BISGAARD["N2"], "audiogram_levels_r": BISGAARD["N2"]}
    listeners = tmp_path / "listeners.json"
    listeners.write_text(json.dumps({"L0001": entry}), encoding="utf-8")
    ear = Ear(**{**MSBG_EAR, "src_pos": src_pos})
    ear.set_audiogram(load_listener_dict(listeners)["L0001"].audiogram_left)
    ours = ear.process(x)[0]
    cal = ear.last_calibration
    soundfile.write(tmp_path / "in.wav", x, FS, subtype="FLOAT")
    cli("render", tmp_path / "in.wav", tmp_path / "out.wav", "--listener", f"{listeners}#L0001", "--ear", "left",
        "--full-scale-db-spl", repr(cal["full_scale_db_spl"]), "--field", field, "--quiet")
    y, fs = soundfile.read(tmp_path / "out.wav", dtype="float32")
    assert fs == FS and y.shape == x.shape
    np.testing.assert_array_equal(ours, y.astype(np.float64) * 10 ** (cal["relevel_db"] / 20))


def test_logging_only_when_verbose(caplog):
    x = msbg_input("msbg_input_speech_10s.flac")[:FS]
    caplog.set_level("DEBUG", logger="earshot.clarity")
    quiet = Ear(**MSBG_EAR)
    quiet.set_audiogram(audiogram("N2"))
    quiet.process(x)
    assert caplog.records == []
    loud = Ear(**MSBG_EAR, verbose=True)
    loud.set_audiogram(audiogram("N2"))
    loud.process(x)
    messages = [r.getMessage() for r in caplog.records]
    assert any("severity MODERATE" in m for m in messages)
    assert any("presented at an active level of" in m for m in messages)
