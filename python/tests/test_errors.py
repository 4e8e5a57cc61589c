"""Bad arguments: ValueError for a bad value, OSError for a file, each with the CLI's one-line message (the
library's: the CLI prints it after "earshot: "; for a flag CLI11 checks itself it adds " (see earshot render
--help)")."""
import numpy as np
import pytest

import earshot
from conftest import write_f32


def cli_message(cli, *args):
    r = cli("render", *args, "-q", check=False)
    assert r.returncode != 0
    line = r.stderr.strip()
    assert line.startswith("earshot: ") and "\n" not in line
    return line[len("earshot: "):]


@pytest.mark.parametrize("py_kw, cli_args, exc", [
    (dict(listener="bisgaard:N9"), ["-l", "bisgaard:N9"], ValueError),
    (dict(listener="no-such-listener.json"), ["-l", "no-such-listener.json"], OSError),
    (dict(listener="bisgaard:N2", intensity=0.5), ["-l", "bisgaard:N2", "--intensity", "0.5"], ValueError),
    (dict(implant="no-such-implant"), ["-i", "no-such-implant"], ValueError),
    (dict(), [], ValueError),  # nothing to simulate
    (dict(listener="bisgaard:N2", level_db_spl=131), ["-l", "bisgaard:N2", "--level-db-spl", "131"], ValueError),
    (dict(listener="bisgaard:N2", limit_dbfs=3), ["-l", "bisgaard:N2", "--limit-dbfs", "3"], ValueError),
    (dict(listener="bisgaard:N2", ear="middle"), ["-l", "bisgaard:N2", "--ear", "middle"], ValueError),
    (dict(listener="bisgaard:N2", level_db_spl=65, scene="x.toml"), ["-l", "bisgaard:N2", "--scene", "x.toml"], ValueError),
    (dict(listener="bisgaard:N2", level_db_spl=5), ["-l", "bisgaard:N2", "--level-db-spl", "5"], ValueError),
])
def test_same_message_as_the_cli(py_kw, cli_args, exc, speech, cli, tmp_path):
    x, fs = speech
    src = write_f32(tmp_path / "in.wav", x, fs)
    expected = cli_message(cli, src, tmp_path / "out.wav", *cli_args)
    with pytest.raises(exc) as e:
        earshot.render(x, fs, **py_kw)
    msg = str(e.value)
    # the CLI names the input file where Python names the array "x"; CLI11's own checks add "(see ... --help)"
    expected = expected.replace(str(src), "x").removesuffix(" (see earshot render --help)")
    assert msg == expected


def test_unknown_keyword_suggests_the_nearest(speech):
    x, fs = speech
    with pytest.raises(ValueError, match=r"^unknown keyword levle_db_spl; did you mean level_db_spl\?$"):
        earshot.render(x, fs, listener="bisgaard:N2", levle_db_spl=65)


@pytest.mark.parametrize("kw, message", [
    (dict(level_db_spl="loud"), "--level-db-spl: 'loud' is not a number"),
    (dict(level_db_spl=float("nan")), "--level-db-spl: nan is not a finite number"),
    (dict(level_db_spl=True), "--level-db-spl: True is not a number"),
    (dict(both_ears=1), "--both-ears: 1 is not True or False"),
    (dict(seed=1.5), "--seed: 1.5 is not a whole number"),
    (dict(seed=-1), "--seed: -1 is out of range [0, 9007199254740992]"),
    (dict(ear=3), "--ear: 3 is not a string"),
])
def test_python_types_are_checked_by_the_table(kw, message, speech):
    x, fs = speech
    with pytest.raises(ValueError) as e:
        earshot.render(x, fs, listener="bisgaard:N2", **kw)
    assert str(e.value) == message


@pytest.mark.parametrize("x, fs, message", [
    (np.zeros(100, np.int16), 44100, "x: dtype int16; float32 or float64 accepted (scale integer samples to [-1, 1) first)"),
    (np.zeros((10, 2, 2), np.float32), 44100, "x: 3 dimensions; 1 (frames) or 2 (frames x channels) accepted"),
    (np.zeros(100, np.float32), 7000, "x: sample rate 7000 Hz is out of range [8000, 96000] Hz (8000 to 16000 Hz inputs "
                                      "are resampled to 16000 Hz for the model)"),
    (np.zeros(0, np.float32), 44100, "x: no frames (an empty signal)"),
    (np.zeros((100, 3), np.float32), 44100, "x: 3 channels without a channel map: no channel-to-ear rule (1, 2, 6 = 5.1 "
                                            "and 8 = 7.1 channels, or a file with a channel map, are rendered); use --ear "
                                            "left|right to hear every channel with one ear"),
])
def test_bad_arrays(x, fs, message):
    with pytest.raises(ValueError) as e:
        earshot.render(x, fs, listener="bisgaard:N2")
    assert str(e.value) == message


def test_silence_cannot_be_presented_at_a_level():
    with pytest.raises(ValueError, match="needs signal"):
        earshot.render(np.zeros(44100, np.float32), 44100, listener="bisgaard:N2", level_db_spl=65.0)


def test_body_needs_a_scene(speech):
    x, fs = speech
    with pytest.raises(ValueError, match=r"^--body: needs --scene$"):
        earshot.render(x, fs, listener="bisgaard:N2", body=x)


def test_format_is_for_files(speech):
    x, fs = speech
    with pytest.raises(ValueError, match=r"^--format: an array render returns float32 samples"):
        earshot.render(x, fs, listener="bisgaard:N2", format="wav16")
