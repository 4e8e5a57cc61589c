"""earshot: sound as a listener with a hearing loss or a cochlear implant hears it.

The C++ engine (the same code as the ``earshot`` command) with NumPy in and out; docs/python.md.

    >>> import numpy as np, earshot
    >>> x = np.random.default_rng(0).standard_normal(44100).astype(np.float32) * 0.05
    >>> y = earshot.render(x, 44100, listener="bisgaard:N2", level_db_spl=65.0)
"""
import warnings as _warnings

import numpy as _np

from . import _earshot
from ._earshot import Audiogram, Listener, presets
from ._batch import BatchResult, batch
from . import dask  # earshot.dask.render_manifest (imports distributed only when called)

__version__ = _earshot.__version__
__all__ = ["render", "render_with_report", "render_file", "batch", "BatchResult", "dask", "Engine", "electrodogram", "score", "Listener", "Audiogram", "presets", "keywords",
           "build_info", "__version__"]


def build_info():
    """The build: version, build type, -march, compiler, pybind11 version (a dict)."""
    return dict(_earshot._build_info)


def keywords():
    """The render keywords (name, CLI flag, type, unit, range or names, help): the table the CLI's flags come from."""
    return _earshot.render_keys()


def _warn(report):
    for w in report["warnings"]:
        _warnings.warn(w, RuntimeWarning, stacklevel=3)


def render(x, sample_rate_hz, listener=None, **keywords):
    """Renders ``x`` as the listener hears it; the output is aligned with the input and has its length.

    ``x``: float32 or float64, shape (N,) (mono) or (N, C). Returns the same dtype, shape (N,) for a mono output
    or (N, C'): a mono input heard by two different ears (or ``both_ears=True``) comes back (N, 2), as the CLI
    makes it stereo. Bit-identical to ``earshot render`` writing a float32 WAV with the same options.

    ``listener``: a preset ("bisgaard:N2", "iso7029:age=70,sex=female"), a listener file, "listeners.json#L0001",
    or an :class:`earshot.Listener`. Keywords (``earshot.keywords()`` lists them, with ranges): implant, scene,
    body (a file or an array), level_db_spl, full_scale_db_spl, level_ref ("active"|"rms"), hearing_aid, field,
    degree, smearing, limit_dbfs, seed, ear, both_ears, implant_ear, intensity, crossover_hz, block_frames.
    Raises ValueError (a bad value) or OSError (a file) with the CLI's one-line message. The GIL is released
    while rendering. Warnings of the render (limiter, clamped input, ...) are issued as RuntimeWarning.
    """
    y, report = render_with_report(x, sample_rate_hz, listener, **keywords)
    _warn(report)
    return y


def render_with_report(x, sample_rate_hz, listener=None, **keywords):
    """:func:`render`, and the render's report (a dict: frames, sample_rate_hz, channels, latency_samples,
    full_scale_db_spl (the calibration the model ran with), active_level_dbfs (measured, with level_db_spl),
    peak_dbfs, nan_count, clamped_input_samples, nonfinite_output_samples, notes, warnings): what a sidecar
    records. The warnings are in the report, not issued."""
    a = _np.asarray(x)
    y, report = _earshot.render(a, float(sample_rate_hz), listener, keywords)
    if a.ndim == 1 and y.shape[1] == 1:
        y = y[:, 0]
    if a.dtype == _np.float64:
        y = y.astype(_np.float64)
    return y, report


def render_file(input, output, listener=None, **keywords):
    """Renders the file ``input`` to ``output`` exactly as ``earshot render INPUT OUTPUT`` does (same keywords as
    :func:`render`, plus ``format``); returns the report (a dict: latency, calibration, peak, notes, warnings)."""
    report = _earshot.render_file(input, output, listener, keywords)
    _warn(report)
    return report


class Engine:
    """The streaming engine for notebooks and custom loops: ``process(block)`` takes (frames,) or (frames, channels)
    blocks of at most ``max_block`` frames and returns the same shape and dtype, ``latency_samples`` behind the
    input (a stream is not re-aligned; :func:`render` is). Keywords as :func:`render`; with ``level_db_spl`` give
    ``input_level_dbfs`` (the input's level: a stream is not measured ahead). ``set(**keywords)`` hands a new
    description over (built off the audio path, crossfaded); ``set_controls(output_gain_db=, pov=, body_gain_db=,
    implant_intensity=)`` moves the continuous controls without a rebuild; ``reset()`` clears the state.
    ``latency_samples`` (constructor) fixes the engine's latency (default: the first description's model's):
    ``set()`` refuses a description whose model needs more than it, so give it when slower ones will follow."""

    def __init__(self, sample_rate_hz, channels, max_block, listener=None, *, latency_samples=None, **keywords):
        self._engine = _earshot.Engine(float(sample_rate_hz), int(channels), int(max_block), listener, keywords,
                                       int(latency_samples or 0))
        self.sample_rate_hz = float(sample_rate_hz)
        self.channels = int(channels)
        self.max_block = int(max_block)

    def process(self, block):
        return self._engine.process(_np.asarray(block))

    def set(self, **keywords):
        self._engine.set(keywords)

    def set_controls(self, output_gain_db=0.0, pov=1.0, body_gain_db=0.0, implant_intensity=None):
        self._engine.set_controls(output_gain_db, pov, body_gain_db, implant_intensity)

    def reset(self):
        self._engine.reset()

    @property
    def latency_samples(self):
        return self._engine.latency_samples

    @property
    def settled(self):
        """Nothing pending and no fade in progress: the last ``set()`` is what is heard."""
        return self._engine.settled

    @property
    def keywords(self):
        """The keywords the engine now runs with (the constructor's, updated by each accepted ``set()``)."""
        return self._engine.keywords

    @property
    def warnings(self):
        """The model's set-up notes."""
        return list(self._engine.warnings)

    @property
    def clamped_input_samples(self):
        """Input samples beyond +-1e4 (+80 dBFS) clamped at the model's input so far (dsp/input_guard.hpp)."""
        return self._engine.clamped_input_samples


def electrodogram(x, sample_rate_hz, implant="nucleus-ace", level_db_spl=65.0, full_scale_db_spl=None,
                  level_ref="active"):
    """The pulse slots a cochlear implant delivers for ``x`` (mono, or frames x channels mixed to mono), as
    ``earshot electrodogram`` writes them: a NumPy structured array with fields time_s, electrode (1 = most basal),
    current_level (clinical units 0..255; 0 = an idle slot), current_ua, phase_width_us, phase_gap_us.
    ``level_db_spl=None``: absolute calibration (``full_scale_db_spl``, default 100 dB SPL for a 0 dBFS sine);
    both given: ValueError, as the CLI's ``--level-db-spl`` excludes ``--full-scale-db-spl``."""
    return _earshot.electrodogram(_np.asarray(x), float(sample_rate_hz), implant, level_db_spl, full_scale_db_spl,
                                  level_ref)


def score(reference, degraded, sample_rate_hz, align=True, max_delay_s=1.0):
    """STOI and ESTOI of ``degraded`` against ``reference`` (same rate; channels mixed to mono), the degraded
    signal's delay found by cross-correlation and removed (``align=False``: scored as given). Returns a dict with
    stoi, estoi, delay_s and frames (the 10 kHz STFT frames left after silence removal)."""
    return _earshot.score(_np.asarray(reference), _np.asarray(degraded), float(sample_rate_hz), bool(align),
                          float(max_delay_s))
