"""earshot.batch and earshot.dask.render_manifest (docs/python.md "Batch and Dask", docs/batch.md): the same
samples as ``earshot render`` and ``earshot batch`` for the six acceptance cases of issue 10 (listener, implant,
EAS, scene with a body bus, mono -> stereo, a 96 kHz file), the same sidecars, failures gathered; Dask on a
LocalCluster bound to 127.0.0.1 with two workers."""
import json
import os
import pathlib
import subprocess

import numpy as np
import pytest
import soundfile as sf

import earshot

CLI = pathlib.Path(os.environ.get("EARSHOT_CLI") or pathlib.Path(earshot.__file__).resolve().parents[2] / "bin" / "earshot")

# name, rate, channels, `earshot render` flags, manifest cells (listener, implant, scene, body, level, full scale)
CASES = [
    ("listener", 44100, 1, ["--listener", "bisgaard:N2", "--level-db-spl", "65"], ["bisgaard:N2", "", "", "", "65", ""]),
    ("implant", 16000, 1, ["--implant", "nucleus-ace", "--level-db-spl", "65"], ["", "nucleus-ace", "", "", "65", ""]),
    ("eas", 44100, 1, ["--listener", "bisgaard:S2", "--implant", "nucleus-ace", "--full-scale-db-spl", "105"],
     ["bisgaard:S2", "nucleus-ace", "", "", "", "105"]),
    ("scene_body", 44100, 1, ["--scene", "s.toml", "--body", "body.wav"], ["", "", "s.toml", "body.wav", "", ""]),
    ("mono_to_stereo", 22050, 1, ["--listener", "asym.toml", "--level-db-spl", "70"], ["asym.toml", "", "", "", "70", ""]),
    ("rate_96k", 96000, 2, ["--listener", "bisgaard:N3", "--full-scale-db-spl", "95"], ["bisgaard:N3", "", "", "", "", "95"]),
]


def signal(rate, channels, seconds=1.0, scale=1.0):
    t = np.arange(int(rate * seconds)) / rate
    chans = []
    for c in range(channels):
        env = 0.55 + 0.45 * np.sin(2 * np.pi * 4 * t + c)
        chans.append(scale * 0.08 * env * (np.sin(2 * np.pi * 250 * t) + np.sin(2 * np.pi * 1000 * t + 1) +
                                           np.sin(2 * np.pi * 4000 * t + 2)))
    return np.stack(chans, axis=1).astype(np.float32)


@pytest.fixture()
def corpus(tmp_path):
    (tmp_path / "s.toml").write_text('[[keyframe]]\ntime_s = 0\nlistener = "normal"\n'
                                     '[[keyframe]]\ntime_s = 0.4\nlistener = "bisgaard:N3"\n'
                                     '[keyframe.transition]\nduration_s = 0.2\n')
    (tmp_path / "asym.toml").write_text("[left]\nfreqs_hz = [250, 1000, 4000]\nhl_db = [10, 20, 30]\n"
                                        "[right]\nfreqs_hz = [250, 1000, 4000]\nhl_db = [30, 50, 70]\n")
    sf.write(tmp_path / "body.wav", signal(44100, 1), 44100, subtype="FLOAT")
    for name, rate, ch, _, _ in CASES:
        sf.write(tmp_path / f"{name}.wav", signal(rate, ch), rate, subtype="FLOAT")
        sf.write(tmp_path / f"{name}_b.wav", signal(rate, ch, scale=0.5), rate, subtype="FLOAT")
    return tmp_path


def write_manifest(d, name, out_dir):
    lines = ["input,output,listener,implant,scene,body,level_db_spl,full_scale_db_spl"]
    for suffix in ("", "_b"):
        for c in CASES:
            lines.append(",".join([f"{c[0]}{suffix}.wav", f"{out_dir}/{c[0]}{suffix}.wav"] + c[4]))
    for c in CASES:  # the first file again: a worker's cached engine
        lines.append(",".join([f"{c[0]}.wav", f"{out_dir}/{c[0]}_again.wav"] + c[4]))
    (d / name).write_text("\r\n".join(lines) + "\r\n")
    return d / name


def render_reference(d):
    for suffix in ("", "_b"):
        for name, _, _, flags, _ in CASES:
            flags = [str(d / f) if f in ("s.toml", "body.wav", "asym.toml") else f for f in flags]
            subprocess.run([str(CLI), "render", str(d / f"{name}{suffix}.wav"), str(d / f"ref_{name}{suffix}.wav"), *flags, "-q"],
                           check=True)


def same_samples(a, b):
    x, fa = sf.read(a, dtype="float32", always_2d=True)
    y, fb = sf.read(b, dtype="float32", always_2d=True)
    return fa == fb and x.shape == y.shape and x.tobytes() == y.tobytes()


def expect_outputs_match(d, out_dir):
    for name, *_ in CASES:
        assert same_samples(d / f"ref_{name}.wav", d / out_dir / f"{name}.wav"), name
        assert same_samples(d / f"ref_{name}_b.wav", d / out_dir / f"{name}_b.wav"), name
        assert same_samples(d / f"ref_{name}.wav", d / out_dir / f"{name}_again.wav"), name


def sidecar_without_build(p):
    j = json.loads(p.read_text())
    j["output"].pop("path")
    return j


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None,
                                  processes=True) as c, distributed.Client(c) as client:
        yield client


def test_batch_cli_batch_and_dask_are_bit_identical_to_render(corpus, cluster):
    d = corpus
    render_reference(d)
    # earshot batch (the CLI)
    m = write_manifest(d, "cli.csv", "cli")
    subprocess.run([str(CLI), "batch", str(m), "-q"], check=True)
    expect_outputs_match(d, "cli")
    # earshot.batch
    r = earshot.batch(write_manifest(d, "py.csv", "py"), jobs=2)
    assert r.ok and len(r["rendered"]) == 18 and not r["skipped"], r
    expect_outputs_match(d, "py")
    # earshot.dask
    r = earshot.dask.render_manifest(write_manifest(d, "dask.csv", "dask"), cluster)
    assert r.ok and len(r["rendered"]) == 18, r
    expect_outputs_match(d, "dask")
    assert (d / "ref_mono_to_stereo.wav").exists() and sf.info(d / "dask" / "mono_to_stereo.wav").channels == 2
    # The sidecars agree (apart from the output's own name) wherever the outputs came from.
    for name, *_ in CASES:
        a = sidecar_without_build(d / "cli" / f"{name}.wav.json")
        for other in ("py", "dask"):
            b = sidecar_without_build(d / other / f"{name}.wav.json")
            assert a["output"] == b["output"] and a["parameters"]["listener"] == b["parameters"]["listener"]
            assert a["calibration"] == b["calibration"] and a["input"]["sha256"] == b["input"]["sha256"]


def test_resume_skips_matching_rows_and_failures_are_gathered(corpus, cluster):
    d = corpus
    (d / "m.csv").write_text("input,output,listener\n"
                             "listener.wav,o/a.wav,bisgaard:N2\n"
                             "nope.wav,o/b.wav,bisgaard:N2\n"
                             "listener.wav,listener.wav,normal\n"
                             "implant.wav,o/c.wav,normal\n")
    (d / "o").mkdir()
    before = (d / "listener.wav").read_bytes()
    r = earshot.batch(d / "m.csv")
    assert [x["line"] for x in r["rendered"]] == [2, 5]
    assert [x["line"] for x in r["failed"]] == [3, 4]
    assert "nope.wav" in r["failed"][0]["error"] and "refusing to overwrite an input" in r["failed"][1]["error"]
    assert (d / "listener.wav").read_bytes() == before
    r2 = earshot.dask.render_manifest(d / "m.csv", cluster)
    assert [x["line"] for x in r2["skipped"]] == [2, 5] and [x["line"] for x in r2["failed"]] == [3, 4], r2
    os.remove(d / "o" / "c.wav.json")  # an output without its sidecar: rendered again
    r3 = earshot.batch(d / "m.csv")
    assert [x["line"] for x in r3["rendered"]] == [5] and [x["line"] for x in r3["skipped"]] == [2]


def test_a_bad_manifest_raises_the_cli_line(tmp_path):
    (tmp_path / "m.csv").write_text("input,output,level_db_spl\nin.wav,o.wav,200\n")
    with pytest.raises(ValueError, match=r"m.csv:2: level_db_spl: 200 is out of range \[0, 130\]"):
        earshot.batch(tmp_path / "m.csv")
    with pytest.raises(OSError, match="nope.csv"):
        earshot.batch(tmp_path / "nope.csv")
