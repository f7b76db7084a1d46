"""Density is shaded once per density drawn: a pan draws the same shades again."""

import numpy as np

from explorer.store.overview import Density
from explorer.ui import density_paint


def _density(counts):
    return Density("category", [f"l{i}" for i in range(len(counts))], 1, 100, counts)


def test_a_density_is_shaded_once_and_a_new_one_anew(monkeypatch):
    calls = []
    real = density_paint.percentile_99
    monkeypatch.setattr(density_paint, "percentile_99", lambda v: calls.append(1) or real(v))
    d = _density([[0, 1, 5, 200], [3, 0, 0, 9]])
    counts, shade = density_paint._shades(d)
    again_counts, again = density_paint._shades(d)
    assert again is shade and again_counts is counts and len(calls) == 1
    assert shade is not None and shade.tolist()[0][0] == 0 and shade.max() == 8
    assert (shade > 0).tolist() == (np.asarray(d.counts) > 0).tolist()
    other = _density([[0, 0], [0, 0]])
    assert density_paint._shades(other)[1] is None  # nothing to draw
    assert density_paint._shades(d)[1] is not shade  # shaded anew after another


def test_the_99th_percentile_is_numpys():
    rng = np.random.default_rng(2)
    for n in (1, 2, 3, 10, 99, 100, 101, 1000, 4321):
        for _ in range(20):
            values = rng.integers(1, 5000, n).astype(np.float64)
            ours = density_paint.percentile_99(values)
            assert abs(ours - float(np.percentile(values, 99))) <= 1e-9 * max(1.0, ours)
