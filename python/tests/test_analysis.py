"""earshot.electrodogram (== `earshot electrodogram`'s CSV) and earshot.score (== `earshot score --json`)."""
import json

import numpy as np
import pytest

import earshot
from conftest import write_f32


def test_electrodogram_equals_the_cli_csv(speech, cli, tmp_path):
    x, fs = speech
    src = write_f32(tmp_path / "in.wav", x, fs)
    cli("electrodogram", src, tmp_path / "e.csv", "--implant", "nucleus-ace", "--level-db-spl", "65", "-q")
    rows = np.genfromtxt(tmp_path / "e.csv", delimiter=",", names=True)
    e = earshot.electrodogram(x, fs, implant="nucleus-ace", level_db_spl=65.0)
    assert e.dtype.names[:3] == ("time_s", "electrode", "current_level")
    assert len(e) == len(rows)
    assert np.array_equal(e["electrode"], rows["electrode"].astype(int))
    assert np.array_equal(e["current_level"], rows["current_level"].astype(int))
    np.testing.assert_allclose(e["time_s"] * 1e6, rows["time_us"], rtol=0, atol=0.01)  # the CSV prints 2 decimals
    active = e[e["current_level"] > 0]
    assert len(active) > 0
    # CIC4 / CI24RE: 17.5 uA x 100^(CL/255)
    np.testing.assert_allclose(active["current_ua"], 17.5 * 100 ** (active["current_level"] / 255), rtol=1e-12)


def test_score_of_itself_is_one_and_the_delay_is_found(speech):
    x, fs = speech
    s = earshot.score(x, x, fs)
    assert s["stoi"] == pytest.approx(1.0, abs=1e-6) and s["estoi"] == pytest.approx(1.0, abs=1e-6)
    d = np.concatenate([np.zeros(441, np.float32), x])[: len(x)]
    s = earshot.score(x, d, fs)
    assert s["delay_s"] == pytest.approx(441 / fs, abs=0.5 / fs)


def test_score_equals_the_cli(speech, cli, tmp_path):
    x, fs = speech
    y = earshot.render(x, fs, listener="bisgaard:N4", level_db_spl=65.0)
    ref, deg = write_f32(tmp_path / "ref.wav", x, fs), write_f32(tmp_path / "deg.wav", y, fs)
    expected = json.loads(cli("score", ref, deg, "--json").stdout)
    s = earshot.score(x, y, fs)
    for k in ("stoi", "estoi", "delay_s"):
        assert s[k] == pytest.approx(expected[k], abs=1e-6)  # the CLI prints 6 decimals


def test_electrodogram_calibration_is_one_of_two(speech):
    x, fs = speech
    with pytest.raises(ValueError, match="excludes --full-scale-db-spl"):
        earshot.electrodogram(x, fs, full_scale_db_spl=100.0)
    quiet = earshot.electrodogram(x, fs, level_db_spl=None, full_scale_db_spl=70.0)
    loud = earshot.electrodogram(x, fs, level_db_spl=None, full_scale_db_spl=110.0)
    assert quiet["current_level"].sum() < loud["current_level"].sum()  # 40 dB louder: higher current levels
