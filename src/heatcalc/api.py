"""The public Python API: the calls the command line makes, for notebooks and scripts.

>>> import heatcalc
>>> c = heatcalc.compare("profiles/boston-gas.yaml", **{"prices.electricity": "0.22 $/kWh"})
>>> [(row.system, round(row.annual_cost_usd)) for row in c.rows]          # doctest: +SKIP
>>> for result in heatcalc.compare_many(["a.yaml", "b.yaml"], jobs=2):   # doctest: +SKIP
...     print(result if isinstance(result, heatcalc.ProfileError) else result.summary.cheapest)

Bad input raises :class:`heatcalc.ProfileError` (``.problems``: each with ``.field``, ``.message``, ``.line``), and
nothing else does: an input heatcalc cannot read (a missing file, a device) is a ProfileError too.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping

from .errors import HeatcalcError, Problem, ProfileError
from .profile import Profile, copy_data, load_profile, parse_field_value, set_field, validate

if TYPE_CHECKING:
    from .results import Comparison

ProfileLike = "str | Path | Mapping[str, Any] | Profile"
_PRICES = "prices."


def _field(name: str) -> str:
    """``prices__electricity`` (a keyword) or ``prices.electricity`` → the dotted field."""
    return name.replace("__", ".")


def resolve(profile, overrides: Mapping[str, Any] | None = None, override_source: str = "override"):
    """The :class:`~heatcalc.home.Home` a profile describes (location, weather, load, equipment, prices), with
    ``overrides`` applied: dotted fields (``"prices.electricity"``, or ``prices__electricity`` as a keyword) set
    to values written as in a profile (``"0.22 $/kWh"``, ``0.22``, ``"3 ton"``).  Prices given this way win over
    the profile's and the state's, and are reported with ``override_source``; any other field is set in the
    profile, which is then validated again as a whole."""
    from .home import build_home

    fields = {_field(k): v for k, v in (overrides or {}).items()}
    prices, problems = {}, []
    for name in [f for f in fields if f.startswith(_PRICES)]:
        try:
            prices[name[len(_PRICES):]] = parse_field_value(name, fields.pop(name), override_source)
        except ProfileError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ProfileError(override_source, problems)
    spec = load_profile(profile)
    if fields:
        data = copy_data(spec.data if spec.data is not None else {})
        for name, value in fields.items():
            set_field(data, name, value)
        spec = validate(data, spec.source or "profile", spec.lines, default_name=spec.name, base_dir=spec.base_dir)
    return build_home(spec, prices, price_source=override_source)


def compare(profile, override_source: str = "override", **overrides: Any) -> Comparison:
    """Compare the year's cost of heating the home with each system.

    Parameters
    ----------
    profile : str, Path, mapping or Profile
        A profile file, a mapping in the YAML's shape (``{"location": {"zip": "02134"}, ...}``), or a
        :class:`~heatcalc.profile.Profile` from :func:`load_profile`.
    **overrides
        Profile fields to change, by dotted name (``**{"prices.electricity": 0.2}``) or with ``__`` for the dots
        (``systems__heat_pump__hspf2=9``), valued as in a profile.

    Returns
    -------
    Comparison
        ``.rows``: one :class:`~heatcalc.results.Row` per system with the CSV columns as attributes;
        ``.summary``; ``.to_dict()`` (one element of ``compare --format json``); ``.to_frame()`` (pandas).

    Raises
    ------
    ProfileError
        For any bad input, listing every problem with its field (and line, for files).
    """
    from .simulate import compare_many as compare_homes

    return compare_homes([resolve(profile, overrides, override_source)])[0]  # the same path as compare_many


def _compare_chunk(chunk: list, overrides: dict, override_source: str) -> list:
    from .simulate import compare_many as compare_homes

    homes, where, out = [], [], [None] * len(chunk)
    for i, profile in enumerate(chunk):
        try:
            homes.append(resolve(profile, overrides, override_source))
            where.append(i)
        except ProfileError as exc:
            out[i] = exc
        except HeatcalcError as exc:
            out[i] = ProfileError(_name(profile), [Problem("", str(exc))])
    for i, comparison in zip(where, compare_homes(homes)):
        out[i] = comparison
    return out


def _name(profile) -> str:
    if isinstance(profile, (str, Path)):
        return str(profile)
    return getattr(profile, "source", None) or "profile"


def compare_many(profiles: Iterable, jobs: int = 1, override_source: str = "override",
                 **overrides: Any) -> Iterator[Comparison | ProfileError]:
    """:func:`compare` for many profiles, yielding each one's :class:`Comparison` -- or its
    :class:`ProfileError`, which is yielded, not raised -- in input order.  Homes at the same weather station
    are computed together; ``jobs`` > 1 spreads chunks of profiles over that many processes."""
    chunks = _chunks(profiles, 64)
    if jobs <= 1:
        for chunk in chunks:
            yield from _compare_chunk(chunk, overrides, override_source)
        return
    import multiprocessing
    import os
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        pending: deque = deque()
        for chunk in chunks:
            pending.append(pool.submit(_compare_chunk, chunk, overrides, override_source))
            while len(pending) >= 2 * jobs:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


__all__ = ["Profile", "ProfileError", "compare", "compare_many", "load_profile", "resolve"]
