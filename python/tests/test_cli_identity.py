"""earshot.render == `earshot render` writing a float32 WAV, bit for bit, and earshot.render_file == the CLI's file.

Each case renders the same samples both ways with the same options; the outputs must be equal sample for sample
(numpy.array_equal: no tolerance). Cases: listener, implant, electric-acoustic, scene with a body bus, mono heard
by two different ears (stereo out), a 96 kHz input, an 8 kHz input (resampled for the model), hearing aid with the
limiter, stereo input with absolute calibration, the implant seed, float64 input.
"""
import numpy as np
import pytest
from scipy.signal import resample_poly

import earshot
from conftest import read_f32, write_f32

SCENE = """name = "two-states"
[[keyframe]]
time_s = 0
listener = "normal"
[[keyframe]]
time_s = 0.8
transition = { duration_s = 0.4, curve = "linear" }
listener = "bisgaard:N3"
[[body]]
time_s = 0
gain_db = -12
[[body]]
time_s = 1.5
gain_db = 0
"""


def cases(root, speech):
    x, fs = speech
    stereo = np.stack([x, np.roll(x, 441) * 0.5], axis=1)
    x96 = resample_poly(x, 320, 147).astype(np.float32)  # 44.1 -> 96 kHz
    x8 = resample_poly(x, 80, 441).astype(np.float32)   # 44.1 -> 8 kHz
    conductive = root / "examples" / "listeners" / "conductive-left.toml"
    return {
        "listener": (x, fs, ["-l", "bisgaard:N2", "--level-db-spl", "65"], dict(listener="bisgaard:N2", level_db_spl=65.0)),
        "implant": (x, fs, ["-i", "nucleus-ace", "--level-db-spl", "65"], dict(implant="nucleus-ace", level_db_spl=65.0)),
        "eas": (x, fs, ["-l", "bisgaard:S2", "-i", "nucleus-ace", "--crossover-hz", "500", "--level-db-spl", "65"],
                dict(listener="bisgaard:S2", implant="nucleus-ace", crossover_hz=500, level_db_spl=65.0)),
        "mono_to_stereo": (x, fs, ["-l", conductive, "--level-db-spl", "70"], dict(listener=str(conductive), level_db_spl=70.0)),
        "rate_96k": (x96, 96000, ["-l", "bisgaard:N4", "--level-db-spl", "70"], dict(listener="bisgaard:N4", level_db_spl=70.0)),
        "rate_8k": (x8, 8000, ["-l", "bisgaard:N2", "--level-db-spl", "65"], dict(listener="bisgaard:N2", level_db_spl=65.0)),
        "aid_limiter": (x, fs, ["-l", "bisgaard:N3", "--hearing-aid", "nal-r", "--limit-dbfs", "-6", "--level-db-spl", "85"],
                        dict(listener="bisgaard:N3", hearing_aid="nal-r", limit_dbfs=-6, level_db_spl=85.0)),
        "stereo_absolute": (stereo, fs, ["-l", "iso7029:age=70,sex=female", "--full-scale-db-spl", "110", "--field", "diffuse"],
                            dict(listener="iso7029:age=70,sex=female", full_scale_db_spl=110, field="diffuse")),
        "implant_seed_rms": (x, fs, ["-i", "nucleus-ace", "--seed", "7", "--level-db-spl", "60", "--level-measure", "rms"],
                             dict(implant="nucleus-ace", seed=7, level_db_spl=60.0, level_ref="rms")),
    }


@pytest.mark.parametrize("name", ["listener", "implant", "eas", "mono_to_stereo", "rate_96k", "rate_8k", "aid_limiter",
                                  "stereo_absolute", "implant_seed_rms"])
def test_render_equals_cli(name, root, speech, cli, tmp_path):
    x, fs, args, kw = cases(root, speech)[name]
    src = write_f32(tmp_path / "in.wav", x, fs)
    cli("render", src, tmp_path / "cli.wav", *args, "-q")
    expected, efs = read_f32(tmp_path / "cli.wav")
    assert efs == fs
    y = earshot.render(x, fs, **kw)
    assert y.dtype == np.float32
    y2 = y if y.ndim == 2 else y[:, None]
    assert y2.shape == expected.shape
    assert np.array_equal(y2, expected), f"max |diff| {np.max(np.abs(y2 - expected))}"
    # the file path of the package is the CLI's too
    earshot.render_file(src, tmp_path / "py.wav", **kw)
    from_file, _ = read_f32(tmp_path / "py.wav")
    assert np.array_equal(from_file, expected)


def test_mono_input_heard_by_different_ears_is_stereo(root, speech):
    x, fs = speech
    y = earshot.render(x, fs, listener=str(root / "examples" / "listeners" / "conductive-left.toml"), level_db_spl=70.0)
    assert y.shape == (len(x), 2)
    assert not np.array_equal(y[:, 0], y[:, 1])
    one = earshot.render(x, fs, listener="bisgaard:N2", level_db_spl=65.0)
    assert one.shape == (len(x),)  # same ears: mono stays mono
    both = earshot.render(x, fs, listener="bisgaard:N2", level_db_spl=65.0, both_ears=True)
    assert both.shape == (len(x), 2) and np.array_equal(both[:, 0], one) and np.array_equal(both[:, 1], one)
    col = earshot.render(x[:, None], fs, listener="bisgaard:N2", level_db_spl=65.0)
    assert col.shape == (len(x), 1) and np.array_equal(col[:, 0], one)  # (N, 1) in: (N, 1) out


def test_scene_with_body_equals_cli(root, cli, tmp_path):
    import soundfile as sf
    outside, fs = sf.read(root / "examples" / "audio" / "story_outside.flac", dtype="float32", frames=2 * 44100)
    body, _ = sf.read(root / "examples" / "audio" / "story_body.flac", dtype="float32", frames=2 * 44100)
    scene = tmp_path / "scene.toml"
    scene.write_text(SCENE)
    src = write_f32(tmp_path / "in.wav", outside, fs)
    body_file = write_f32(tmp_path / "body.wav", body, fs)
    cli("render", src, tmp_path / "cli.wav", "--scene", scene, "--body", body_file, "-q")
    expected, _ = read_f32(tmp_path / "cli.wav")
    for b in (body, str(body_file)):  # the body as an array and as a file
        y = earshot.render(outside, fs, scene=str(scene), body=b)
        y2 = y if y.ndim == 2 else y[:, None]
        assert np.array_equal(y2, expected)


def test_float64_in_is_float64_out_of_the_same_samples(speech):
    x, fs = speech
    y32 = earshot.render(x, fs, listener="bisgaard:N2", level_db_spl=65.0)
    y64 = earshot.render(x.astype(np.float64), fs, listener="bisgaard:N2", level_db_spl=65.0)
    assert y64.dtype == np.float64
    assert np.array_equal(y64, y32.astype(np.float64))


def test_listener_object_equals_the_file(root, speech):
    x, fs = speech
    path = root / "examples" / "listeners" / "conductive-left.toml"
    by_name = earshot.render(x, fs, listener=str(path), level_db_spl=70.0)
    by_path = earshot.render(x, fs, listener=path, level_db_spl=70.0)  # os.PathLike
    by_object = earshot.render(x, fs, listener=earshot.Listener.from_file(path), level_db_spl=70.0)
    assert np.array_equal(by_name, by_path) and np.array_equal(by_name, by_object)


def test_report_is_the_file_render_report(speech, tmp_path):
    x, fs = speech
    src = write_f32(tmp_path / "in.wav", x, fs)
    y, rep = earshot.render_with_report(x, fs, implant="nucleus-ace", level_db_spl=65.0)
    frep = earshot.render_file(src, tmp_path / "out.wav", implant="nucleus-ace", level_db_spl=65.0)
    for k in ("frames", "sample_rate_hz", "channels", "latency_samples", "full_scale_db_spl", "active_level_dbfs",
              "peak_dbfs"):
        assert rep[k] == frep[k], k
    assert rep["frames"] == len(x) and rep["latency_samples"] > 0
    # presented at 65 dB SPL: the calibration is 65 dB SPL minus the measured active level
    assert rep["full_scale_db_spl"] == pytest.approx(65.0 - rep["active_level_dbfs"], abs=1e-9)
