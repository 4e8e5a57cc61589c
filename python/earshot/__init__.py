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
__all__ = ["render", "render_file", "batch", "BatchResult", "dask", "Listener", "Audiogram", "presets", "keywords", "build_info", "__version__"]


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
    a = _np.asarray(x)
    y, report = _earshot.render(a, float(sample_rate_hz), listener, keywords)
    _warn(report)
    if a.ndim == 1 and y.shape[1] == 1:
        y = y[:, 0]
    if a.dtype == _np.float64:
        y = y.astype(_np.float64)
    return y


def render_file(input, output, listener=None, **keywords):
    """Renders the file ``input`` to ``output`` exactly as ``earshot render INPUT OUTPUT`` does (same keywords as
    :func:`render`, plus ``format``); returns the report (a dict: latency, calibration, peak, notes, warnings)."""
    report = _earshot.render_file(input, output, listener, keywords)
    _warn(report)
    return report
