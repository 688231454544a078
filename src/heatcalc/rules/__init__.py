"""Field rules as functions of arrays, written once for both roads a profile takes to the model (docs/resolver.md).

Each rule takes arrays of parsed leaf values (one row per home; a single profile is a table of one row) and returns
arrays, which rows took which default (for ``--explain`` and JSON ``assumptions``, turned into words only for the
homes that ask) and the problems it found, each with its row and field.  :mod:`heatcalc.home` calls a rule for one
home and records its assumptions and problems; :mod:`heatcalc.columnar` calls it for a chunk and sends the rows with
problems home by home, where the same rule says what is wrong.

Topics: where the home is (:mod:`heatcalc.rules.location`), the heat the home needs (:mod:`heatcalc.rules.load`),
the cooling season (:mod:`heatcalc.rules.cooling`), the fuel-burning system (:mod:`heatcalc.rules.furnace`), the
air-source heat pump's defaults, partial coverage and size for cooling (:mod:`heatcalc.rules.heat_pump`), prices and
fixed charges (:mod:`heatcalc.rules.prices`), emission factors (:mod:`heatcalc.rules.emissions`), ducts
(:mod:`heatcalc.rules.ducts`), the rest of the home's use (:mod:`heatcalc.rules.base_use`), rates and solar
(:mod:`heatcalc.rules.rates`), and economics and incentives (:mod:`heatcalc.rules.economics`).
"""


import numpy as np


def by_distinct(keys: list, answer) -> tuple[list, np.ndarray]:
    """``answer(*key)`` of each distinct key once (a table's homes share few furnaces, states, settings), in the
    order met, and each row's place among them: ``answers[codes[i]]`` is row ``i``'s."""
    number: dict = {}
    codes = np.fromiter((number.setdefault(key, len(number)) for key in keys), np.intp, len(keys))
    return [answer(*key) for key in number], codes


def texts(n: int, value: str) -> np.ndarray:
    """An object array of ``n`` copies of ``value`` (filled: NumPy's text arrays and ``np.full``'s object ones take
    ~20x longer to make), for per-home words such as where a figure came from."""
    out = np.empty(n, dtype=object)
    out.fill(value)
    return out


def spread(values: list, codes: np.ndarray) -> np.ndarray:
    """The distinct keys' ``values`` at each row, as an object array (``.tolist()`` for a list)."""
    out = np.empty(len(values), dtype=object)
    for j, value in enumerate(values):  # (one by one: a tuple stays one value)
        out[j] = value
    return out[codes]
