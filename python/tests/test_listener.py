"""earshot.Listener, earshot.Audiogram and earshot.presets()."""
import numpy as np
import pytest

import earshot


def test_presets_are_the_cli_list(cli):
    ids = earshot.presets()
    assert "bisgaard:N2" in ids and "normal" in ids
    printed = cli("presets").stdout
    for i in ids:
        assert i in printed


def test_preset_thresholds_are_bisgaard_n2():
    # Bisgaard, Vlaming & Dahlquist 2010, Table 1, N2 (mild, flat-moderately sloping), dB HL
    n2 = earshot.Listener.preset("bisgaard:N2")
    f = n2.left.frequencies_hz
    t = dict(zip(f, n2.left.thresholds_db_hl))
    assert t[250.0] == 20 and t[1000.0] == 25 and t[4000.0] == 45 and t[6000.0] == 50
    assert n2.left.thresholds_db_hl == n2.right.thresholds_db_hl


def test_three_ways_to_give_an_ear_are_the_same():
    f, t = [250, 500, 1000, 2000, 4000], [10, 20, 30, 40, 50]
    a = earshot.Listener(left=earshot.Audiogram(f, t), right=(f, t))
    b = earshot.Listener(left=dict(zip(reversed(f), reversed(t))), right=earshot.Audiogram(f, t))
    assert a.to_dict()["left"] == b.to_dict()["left"] == a.to_dict()["right"]
    assert a.left.at(750) == 25.0  # linear in Hz between points


def test_listener_from_audiograms_renders_like_the_preset():
    n2 = earshot.Listener.preset("bisgaard:N2")
    mine = earshot.Listener(left=(n2.left.frequencies_hz, n2.left.thresholds_db_hl),
                            right=(n2.right.frequencies_hz, n2.right.thresholds_db_hl))
    x = np.random.default_rng(1).standard_normal(22050).astype(np.float32) * 0.05
    assert np.array_equal(earshot.render(x, 22050, listener=mine, level_db_spl=65.0),
                          earshot.render(x, 22050, listener="bisgaard:N2", level_db_spl=65.0))


def test_bone_conduction_is_kept(root):
    c = earshot.Listener.from_file(root / "examples" / "listeners" / "conductive-left.toml")
    assert c.left.bone_db_hl is not None
    assert c.to_dict()["left"]["bone_db_hl"] == c.left.bone_db_hl


def test_clarity_listeners_file_by_id(root):
    path = root / "examples" / "listeners" / "clarity-listeners.json"
    import json
    first = next(iter(json.loads(path.read_text())))
    l = earshot.Listener.from_file(f"{path}#{first}")
    assert len(l.left.frequencies_hz) > 0


@pytest.mark.parametrize("f, t, message", [
    ([1000, 500], [10, 20], "Audiogram"),
    ([500, 1000], [10], "Audiogram"),
    ([500, 1000], [10, 200], "Audiogram"),
])
def test_bad_audiograms(f, t, message):
    with pytest.raises(ValueError, match=message):
        earshot.Audiogram(f, t)


def test_bad_ear():
    with pytest.raises(ValueError, match="Listener: left: give an earshot.Audiogram"):
        earshot.Listener(left="bisgaard:N2", right=([500], [10]))


def test_missing_file_is_oserror(tmp_path):
    with pytest.raises(OSError, match="no-such.toml"):
        earshot.Listener.from_file(tmp_path / "no-such.toml")
