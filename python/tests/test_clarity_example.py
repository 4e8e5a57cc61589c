"""examples/python/cec1_listen.py, the CEC1-style listen() loop with the Clarity drop-in, runs and scores every
scene-listener pair; the drop-in's outputs are aligned, so the recipe's find_delay_impulse finds no delay."""

from __future__ import annotations

import csv
import importlib.util
import math
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "python" / "cec1_listen.py"


def test_cec1_listen_example(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("cec1_listen", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path / "scores.csv"
    assert module.main(["--out", str(out)]) == 0
    with open(out, newline="", encoding="utf-8") as fp:
        rows = list(csv.DictReader(fp))
    pairs = [(s, l) for s, ls in module.SCENES_LISTENERS.items() for l in ls]
    assert [(r["scene"], r["listener"]) for r in rows] == pairs
    for r in rows:
        assert (r["delay_l"], r["delay_r"], r["reference_delay"]) == ("0", "0", "0")
        for key in ("stoi_l", "stoi_r", "stoi_better", "estoi_better"):
            v = float(r[key])
            assert math.isfinite(v) and -1.0 <= v <= 1.0
        assert float(r["stoi_better"]) == max(float(r["stoi_l"]), float(r["stoi_r"]))
    printed = capsys.readouterr().out
    assert "S0003" in printed and "L0003" in printed
