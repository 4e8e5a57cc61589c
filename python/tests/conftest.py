"""Shared fixtures of the earshot Python tests (run by CTest: python.* tests, or
`PYTHONPATH=build/python EARSHOT_CLI=build/bin/earshot /usr/bin/python3 -m pytest python/tests`)."""
import os
import pathlib
import subprocess

import numpy as np
import pytest
import soundfile as sf

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def cli():
    """The earshot command of the same build (EARSHOT_CLI), run with arguments; returns the CompletedProcess."""
    path = os.environ.get("EARSHOT_CLI") or str(ROOT / "build" / "bin" / "earshot")
    if not os.path.exists(path):
        pytest.skip(f"no earshot command at {path} (set EARSHOT_CLI)")

    def run(*args, check=True):
        return subprocess.run([path, *map(str, args)], capture_output=True, text=True, check=check)

    return run


@pytest.fixture(scope="session")
def speech():
    """2 s of the bundled speech (44.1 kHz mono, float32) from 1 s on."""
    x, fs = sf.read(ROOT / "examples" / "audio" / "speech.flac", dtype="float32")
    return x[fs: 3 * fs].copy(), fs


def write_f32(path, x, fs):
    sf.write(str(path), x, int(fs), subtype="FLOAT")
    return path


def read_f32(path):
    y, fs = sf.read(str(path), dtype="float32", always_2d=True)
    return y, fs
