"""earshot.Engine: streaming blocks through the same engine render_file drives."""
import numpy as np
import pytest

import earshot


def stream(engine, x, block):
    out = []
    for i in range(0, len(x), block):
        out.append(engine.process(x[i:i + block]))
    return np.concatenate(out)


def test_stream_is_the_render_delayed_by_the_latency(speech):
    # render_file drops the first latency_samples output frames of the same engine fed in 8192-frame blocks: the
    # stream, fed the same blocks, is the render delayed by exactly latency_samples.
    x, fs = speech
    y = earshot.render(x, fs, listener="bisgaard:N2", full_scale_db_spl=100)
    e = earshot.Engine(fs, 1, 8192, listener="bisgaard:N2", full_scale_db_spl=100)
    s = stream(e, x, 8192)
    L = e.latency_samples
    assert L > 0
    assert np.array_equal(s[L:], y[:len(x) - L])


def test_level_needs_the_input_level(speech):
    x, fs = speech
    with pytest.raises(ValueError, match="input_level_dbfs"):
        earshot.Engine(fs, 1, 512, listener="bisgaard:N2", level_db_spl=65.0)
    e = earshot.Engine(fs, 1, 512, listener="bisgaard:N2", level_db_spl=65.0, input_level_dbfs=-25.0)
    # presented at 65 dB SPL from -25 dBFS: the same as absolute calibration with 0 dBFS = 90 dB SPL
    a = earshot.Engine(fs, 1, 512, listener="bisgaard:N2", full_scale_db_spl=90.0)
    assert np.array_equal(stream(e, x, 512), stream(a, x, 512))


def test_stereo_blocks_and_dtypes(speech):
    x, fs = speech
    st = np.stack([x, x * 0.5], axis=1)
    e = earshot.Engine(fs, 2, 1024, listener="bisgaard:N2")
    y = e.process(st[:1024].astype(np.float64))
    assert y.shape == (1024, 2) and y.dtype == np.float64
    with pytest.raises(ValueError, match=r"block: 2048 frames; at most max_block = 1024"):
        e.process(st[:2048])
    with pytest.raises(ValueError, match=r"block: shape must be \(frames,\) or \(frames, 2\)"):
        e.process(x[:1024])


def test_set_hands_over_and_reset_restarts(speech):
    x, fs = speech
    slow = earshot.Engine(fs, 1, 512, listener="bisgaard:N4").latency_samples
    e = earshot.Engine(fs, 1, 512, listener="normal")
    assert e.latency_samples < slow
    with pytest.raises(ValueError, match="latency"):
        e.set(listener="bisgaard:N4")  # the engine's latency is fixed: a slower model is refused, nothing changes
    e = earshot.Engine(fs, 1, 512, listener="normal", latency_samples=slow)
    assert e.latency_samples == slow
    first = stream(e, x, 512)
    e.set(listener="bisgaard:N4")
    stream(e, x, 512)  # the new model is built, warmed up and faded in while streaming
    assert e.settled
    with pytest.raises(ValueError, match=r"^--level-db-spl: 500 is out of range"):
        e.set(level_db_spl=500)
    e.reset()
    after = stream(e, x, 512)
    fresh = stream(earshot.Engine(fs, 1, 512, listener="bisgaard:N4"), x, 512)
    assert np.array_equal(after, fresh)
    assert not np.array_equal(after, first)


def test_output_gain_control(speech):
    x, fs = speech
    e = earshot.Engine(fs, 1, 512, listener="normal")
    ref = stream(earshot.Engine(fs, 1, 512, listener="normal"), x, 512)
    e.set_controls(output_gain_db=-20.0)
    y = stream(e, x, 512)
    tail = slice(fs, None)  # after the 20 ms ramp: exactly 10^(-20/20)
    np.testing.assert_allclose(y[tail], ref[tail] * 0.1, rtol=1e-5, atol=1e-9)


def test_limiter_ceiling_holds(speech):
    x, fs = speech
    e = earshot.Engine(fs, 1, 512, listener="normal", full_scale_db_spl=60.0, limit_dbfs=-20.0)
    y = stream(e, x * 8, 512)
    assert np.max(np.abs(y)) <= 10 ** (-20 / 20) + 1e-7
    assert np.max(np.abs(y)) > 0.5 * 10 ** (-20 / 20)  # it did limit: the input goes far above the ceiling


def test_the_limiter_is_fixed_for_the_engine(speech):
    e = earshot.Engine(44100, 1, 512, listener="bisgaard:N1", limit_dbfs=-1.0)
    with pytest.raises(ValueError, match="^--limit-dbfs: the Engine's limiter is fixed"):
        e.set(limit_dbfs=-3.0)
    e.set(listener="normal")  # other keywords change; the limiter keyword is kept
    assert e.keywords["limit_dbfs"] == -1.0
