"""heatcalc: what would it cost per year to heat this home with a heat pump, a furnace or resistance heat?

The public API (documented in README.md, *Python API*):

* :func:`compare` -- one profile (a path, a mapping in the YAML's shape, or a :class:`Profile`) → :class:`Comparison`
* :func:`compare_many` -- many profiles → each one's Comparison or ProfileError, in input order
* :func:`load_profile` -- a path or mapping → a validated, typed :class:`Profile` (``p.location.zip``)
* :func:`compare_frame` -- a pandas or dask DataFrame of homes (columns: dotted fields) → one row per home and system
* :class:`ProfileError` -- raised for bad input; ``.problems`` lists each with ``.field``, ``.message``, ``.line``

Names are imported on first use, so ``import heatcalc`` (and the CLI's start-up) stays light.
"""

__version__ = "0.1.0"

_EXPORTS = {
    "compare": "api", "compare_many": "api", "load_profile": "profile", "Profile": "profile",
    "Comparison": "results", "Row": "results", "ProfileError": "errors", "Problem": "errors",
    "HeatcalcError": "errors", "compare_frame": "cluster", "size": "api", "sweep": "api",
    "installed_costs": "api", "stations": "api", "prices": "api", "schema": "api", "write_report": "api",
    "rate_heat_pump": "api", "find_incentives": "api",
}
__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str):
    if name in _EXPORTS:
        import importlib

        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'heatcalc' has no attribute {name!r}")


def __dir__():
    return __all__
