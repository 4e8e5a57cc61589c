"""A drop-in for the Clarity toolkit's MSBG hearing-loss model.

The Clarity and Cadenza challenge recipes (claritychallenge/clarity: recipes/cec1/baseline/evaluate.py,
recipes/cpc1/baseline/run.py, recipes/cad2/task1/baseline/evaluate.py) call the MSBG simulator of Moore, Stone,
Baer & Glasberg as ``clarity.evaluator.msbg.msbg.Ear`` with audiograms from ``clarity.utils.audiogram``. This
module offers the same names and signatures on earshot's model, so that a recipe switches by changing its
imports::

    from earshot.clarity import Ear, Audiogram, Listener, AUDIOGRAM_REF_CLARITY

    ear = Ear(src_pos="ff", sample_rate=44100.0, equiv_0db_spl=100.0, ahr=20.0)
    ear.set_audiogram(listener.audiogram_left)
    out_l = ear.process(signal[:, 0])          # a list with one array per channel

What is kept from MSBG (written from its documented behaviour, no code taken):

* calibration: a digital RMS of 1.0 is ``equiv_0db_spl + ahr`` dB SPL (120 by default); the input is
  re-levelled so that channel 0's active level (10 ms frames within 12 dB of the overall RMS) equals the overall
  RMS of all channels, the same gain on every channel, and the output is returned on that re-levelled scale, as
  MSBG returns it. The arithmetic is the library's (``earshot/hearing/msbg_calibration.hpp``), and the render is
  the one ``earshot render IN OUT --listener ... --ear left --full-scale-db-spl F`` makes, with F (and the
  re-levelling gain) reported by ``Ear.last_calibration``;
* the degree of loss from the mean of the audiogram's own values at 2-8 kHz (``Audiogram.severity``: NOTHING,
  MILD, MODERATE, SEVERE at > 15, > 35, > 56 dB HL), which picks the filter broadening and the smearing;
* ``src_pos`` "ff" (free field), "df" (diffuse field) and "ITU" (ear reference point, ITU-T P.58);
* ``set_audiogram(audiogram, apply_smear=True)``: ``apply_smear=False`` turns spectral smearing off (the switch
  MSBG has only on a branch, claritychallenge/clarity#438).

What differs, on purpose:

* any sample rate from 8 kHz to 96 kHz, not 44.1 kHz only;
* the output is causal and aligned with the input, and exactly as long: ``len(out) == len(signal)``. MSBG's is
  delayed by about 1078 samples (normal hearing) or 1270 (smeared) and 216 samples longer when smeared. A recipe's
  ``find_delay_impulse`` on the output for a unit impulse at sample 22050 (its "DDF" signal) therefore finds a
  delay of 0 samples, and the padding the recipes apply for it is a no-op;
* ``add_calibration=True`` (MSBG's unseeded calibration tone and noise prefix) is not offered: it raises
  ValueError;
* no logging unless ``verbose=True`` (claritychallenge/clarity#436).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Final

import numpy as np

from . import _earshot
from . import render as _render

__all__ = [
    "AUDIOGRAM_REF",
    "AUDIOGRAM_REF_CLARITY",
    "DEFAULT_CLARITY_AUDIOGRAM_FREQUENCIES",
    "FULL_STANDARD_AUDIOGRAM_FREQUENCIES",
    "Audiogram",
    "Ear",
    "Listener",
    "compare_renders",
    "load_listener_dict",
]

_log = logging.getLogger("earshot.clarity")

#: The audiogram frequencies of the Clarity metadata files (Hz).
DEFAULT_CLARITY_AUDIOGRAM_FREQUENCIES: Final = np.array([250, 500, 1000, 2000, 3000, 4000, 6000, 8000])
#: The standard audiometric frequencies 125 Hz to 16 kHz.
FULL_STANDARD_AUDIOGRAM_FREQUENCIES: Final = np.array(
    [125, 250, 500, 750, 1000, 1500, 2000, 3000, 4000, 6000, 8000, 10000, 12000, 14000, 16000]
)

# MSBG's src_pos -> earshot's sound field (the ear filters' source corrections).
_FIELDS: Final = {"ff": "free", "df": "diffuse", "ITU": "erp"}
# The library's class names (hearing/loss_degree.hpp) -> Clarity's severity names.
_SEVERITY: Final = {"none": "NOTHING", "mild": "MILD", "moderate": "MODERATE", "severe": "SEVERE"}


@dataclass
class Audiogram:
    """One ear's audiogram: hearing threshold levels (dB HL) at ascending frequencies (Hz).

    As ``clarity.utils.audiogram.Audiogram``: ``levels`` first, ``frequencies`` defaulting to the Clarity grid
    250..8000 Hz; lengths must match and frequencies be unique and ascending (ValueError otherwise). ``None``
    levels are allowed (they are left out of the model, as of the severity).
    """

    levels: np.ndarray
    frequencies: np.ndarray = field(default_factory=lambda: np.array(DEFAULT_CLARITY_AUDIOGRAM_FREQUENCIES))

    def __post_init__(self) -> None:
        self.levels = np.array(self.levels)
        self.frequencies = np.array(self.frequencies)
        if self.levels.ndim != 1 or self.frequencies.ndim != 1 or len(self.levels) != len(self.frequencies):
            raise ValueError(
                f"Audiogram: levels ({self.levels.size}) and frequencies ({self.frequencies.size}) must be "
                "1-D and of the same length"
            )
        if len(np.unique(self.frequencies)) != len(self.frequencies):
            raise ValueError("Audiogram: frequencies must be unique")
        if not np.all(np.diff(self.frequencies) > 0):
            raise ValueError("Audiogram: frequencies must be in ascending order")

    def _measured(self) -> tuple[list[float], list[float]]:
        """The (frequencies, levels) pairs with a level (None and NaN left out)."""
        freqs, levels = [], []
        for f, level in zip(self.frequencies.tolist(), self.levels.tolist()):
            if level is None or (isinstance(level, float) and np.isnan(level)):
                continue
            freqs.append(float(f))
            levels.append(float(level))
        return freqs, levels

    def _degree(self) -> dict:
        freqs, levels = self._measured()
        return _earshot.loss_degree(freqs, levels)

    @property
    def severity(self) -> str:
        """The degree-of-loss class the model uses: "NOTHING", "MILD", "MODERATE" or "SEVERE".

        The mean of the audiogram's own levels at 2-8 kHz, > 15, > 35, > 56 dB HL (Clarity's rule, computed by
        the library, earshot/hearing/loss_degree.hpp). One difference: an audiogram with no level at 2-8 kHz
        gets the mean of its interpolated values at 2, 3, 4, 6, 8 kHz (flat beyond its last frequency); Clarity
        reports NOTHING there.
        """
        return _SEVERITY[self._degree()["class_name"]]

    def has_frequencies(self, frequencies: np.ndarray) -> bool:
        """True when every one of ``frequencies`` is among the audiogram's."""
        return bool(np.all(np.isin(frequencies, self.frequencies)))

    def resample(self, new_frequencies: np.ndarray, linear_frequency: bool = False) -> Audiogram:
        """The audiogram at ``new_frequencies``: linear interpolation on a log-frequency axis (linear in Hz with
        ``linear_frequency=True``), flat beyond the first and last frequencies (Clarity's ``resample``)."""
        axis: Callable = (lambda f: np.asarray(f, dtype=float)) if linear_frequency else np.log
        freqs, levels = self._measured()
        return Audiogram(
            levels=np.interp(axis(new_frequencies), axis(freqs), levels, left=levels[0], right=levels[-1]),
            frequencies=new_frequencies,
        )

    def to_earshot(self):
        """This audiogram as an ``earshot.Audiogram`` (the levels it has; ValueError when out of range)."""
        from . import Audiogram as EarshotAudiogram

        freqs, levels = self._measured()
        return EarshotAudiogram(freqs, levels)


#: No loss on the standard frequencies 125 Hz..16 kHz.
AUDIOGRAM_REF: Final = Audiogram(levels=np.zeros(15), frequencies=FULL_STANDARD_AUDIOGRAM_FREQUENCIES)
#: No loss on the Clarity frequencies (the recipes' reference listener).
AUDIOGRAM_REF_CLARITY: Final = Audiogram(levels=np.zeros(8), frequencies=DEFAULT_CLARITY_AUDIOGRAM_FREQUENCIES)


@dataclass
class Listener:
    """A listener: a left and a right audiogram and an id, as ``clarity.utils.audiogram.Listener``."""

    audiogram_left: Audiogram
    audiogram_right: Audiogram
    id: str = ""

    @staticmethod
    def from_dict(listener_dict: dict) -> Listener:
        """A listener from one entry of a Clarity listeners file: keys ``name``, ``audiogram_cfs``,
        ``audiogram_levels_l`` and ``audiogram_levels_r`` (KeyError naming a missing key)."""
        cfs = listener_dict["audiogram_cfs"]
        return Listener(
            id=listener_dict["name"],
            audiogram_left=Audiogram(levels=listener_dict["audiogram_levels_l"], frequencies=cfs),
            audiogram_right=Audiogram(levels=listener_dict["audiogram_levels_r"], frequencies=cfs),
        )

    @staticmethod
    def load_listener_dict(filename: str | Path) -> dict[str, Listener]:
        """A Clarity listeners file (JSON object of listener entries keyed by id) as {id: Listener}."""
        with open(filename, encoding="utf-8") as fp:
            raw = json.load(fp)
        return {key: Listener.from_dict(entry) for key, entry in raw.items()}

    def to_earshot(self):
        """This listener as an ``earshot.Listener``."""
        from . import Listener as EarshotListener

        return EarshotListener(left=self.audiogram_left.to_earshot(), right=self.audiogram_right.to_earshot())


def load_listener_dict(filename: str | Path) -> dict[str, Listener]:
    """A Clarity listeners file as {id: Listener} (``Listener.load_listener_dict``)."""
    return Listener.load_listener_dict(filename)


class Ear:
    """The MSBG ``Ear``: one audiogram at a time, applied to every channel of the signal given to ``process``.

    Args:
        src_pos: "ff" (free field, frontal), "df" (diffuse field) or "ITU" (ear reference point).
        sample_rate: the signal's sample rate in Hz (any rate earshot accepts).
        equiv_0db_spl, ahr: a digital RMS of 1.0 is ``equiv_0db_spl + ahr`` dB SPL (MSBG: 100 + 20).
        verbose: log the calibration of each call (logger "earshot.clarity", level INFO).
    """

    def __init__(
        self,
        src_pos: str = "ff",
        sample_rate: float = 44100.0,
        equiv_0db_spl: float = 100.0,
        ahr: float = 20.0,
        verbose: bool = False,
    ) -> None:
        if src_pos not in _FIELDS:
            raise ValueError(f"Ear: src_pos {src_pos!r} is not one of 'ff', 'df', 'ITU'")
        self.src_pos = src_pos
        self.sample_rate = float(sample_rate)
        self.equiv_0db_spl = float(equiv_0db_spl)
        self.ahr = float(ahr)
        self.verbose = bool(verbose)
        self.audiogram: Audiogram | None = None
        self.apply_smear = True
        self._listener: Any = None
        #: The calibration of the last ``process`` call (a dict, keys as earshot/hearing/msbg_calibration.hpp).
        self.last_calibration: dict | None = None

    def set_audiogram(self, audiogram: Audiogram, apply_smear: bool = True) -> None:
        """Use ``audiogram`` (a ``clarity`` or ``earshot.clarity`` Audiogram: anything with ``levels`` and
        ``frequencies``) from now on; ``apply_smear=False`` renders it without spectral smearing."""
        if not isinstance(audiogram, Audiogram):
            audiogram = Audiogram(levels=audiogram.levels, frequencies=audiogram.frequencies)
        self._listener = Listener(audiogram, audiogram).to_earshot()
        self.audiogram = audiogram
        self.apply_smear = bool(apply_smear)
        if self.verbose:
            _log.info("audiogram set: severity %s, smearing %s", audiogram.severity, "on" if apply_smear else "off")

    def process(self, signal: np.ndarray, add_calibration: bool = False) -> list[np.ndarray]:
        """The signal as the listener hears it, on MSBG's re-levelled scale.

        Args:
            signal: shape (N,), (N, 1) or (N, C); channels are rendered independently through the same ear.
            add_calibration: must be False (MSBG's random calibration prefix is not offered).

        Returns:
            One float64 array of N samples per channel, aligned with the input.
        """
        if add_calibration:
            raise ValueError("Ear.process: add_calibration must be False (earshot does not prepend MSBG's "
                             "calibration tone and noise)")
        x = np.asarray(signal, dtype=np.float64)
        if x.ndim == 1:
            x = x[:, np.newaxis]
        if x.ndim != 2 or x.shape[0] == 0 or x.shape[1] == 0:
            raise ValueError(f"Ear.process: signal of shape {np.shape(signal)}; accepted (N,), (N, 1) or (N, C)")
        x = np.ascontiguousarray(x)
        cal = _earshot.msbg_calibration(x.astype(np.float32), self.sample_rate, self.equiv_0db_spl + self.ahr)
        self.last_calibration = cal
        if self.verbose:
            _log.info(
                "presented at an active level of %.1f dB SPL (re-levelled by %.2f dB, full scale %.2f dB SPL), "
                "%d channel(s) of %d samples at %g Hz",
                cal["presentation_db_spl"], cal["relevel_db"], cal["full_scale_db_spl"],
                x.shape[1], x.shape[0], self.sample_rate,
            )
        gain = 10.0 ** (cal["relevel_db"] / 20.0)
        if self._listener is None:
            # No audiogram yet: MSBG then runs only its outer/middle-ear filter and its inverse (which cancel)
            # and an 18 kHz low-pass; the signal comes back re-levelled.
            return [np.ascontiguousarray(x[:, c] * gain) for c in range(x.shape[1])]
        y = _render(
            x[:, 0] if x.shape[1] == 1 else x,
            self.sample_rate,
            listener=self._listener,
            full_scale_db_spl=cal["full_scale_db_spl"],
            field=_FIELDS[self.src_pos],
            smearing=self.apply_smear,
            ear="left",
        )
        y = np.asarray(y, dtype=np.float64).reshape(x.shape[0], -1) * gain
        return [np.ascontiguousarray(y[:, c]) for c in range(y.shape[1])]


def compare_renders(reference: np.ndarray, candidate: np.ndarray, sample_rate_hz: float,
                    max_lag_samples: int = 4000) -> dict:
    """The library's comparison of a render with a reference render of the same input (the MSBG fixtures'
    procedure, earshot/analysis/reference_compare.hpp): aligned by broadband-envelope cross-correlation, then
    long-term third-octave levels 125 Hz..8 kHz (``mean_abs_delta_db``, ``max_abs_delta_db``) and octave-band
    envelope correlations 250 Hz..4 kHz (``median_envelope_r``); ``lag_samples``: candidate[n + lag] ~
    reference[n]. Both mono, on the same scale."""
    ref = np.ascontiguousarray(np.asarray(reference, dtype=np.float32).reshape(-1))
    cand = np.ascontiguousarray(np.asarray(candidate, dtype=np.float32).reshape(-1))
    return _earshot.compare_renders(ref, cand, float(sample_rate_hz), int(max_lag_samples))
