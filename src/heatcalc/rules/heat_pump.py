"""A heat pump's declared defaults, for any number of homes (docs/resolver.md): an air-source unit's compressor,
cutoff and cycling degradation (by compressor), the HSPF2 its default curves are chosen by (given, else from an HSPF
by DOE's equivalence for its distribution, else the declared default, within the range the curves cover), its
backup (dual fuel needs a furnace), its 5 F capacity and its size when it also cools; an air-to-water unit's water;
and what heats the rest of a home a heat pump serves part of.  The curves themselves come from
:func:`heatcalc.model.heat_pump.calibrated_default_curve`, memoised by their inputs; the size from
:func:`heatcalc.model.heat_pump.nominal_sizes_btu_per_h`."""


from typing import NamedTuple

import numpy as np

BASE = "systems.heat_pump"


class AirSourceRules(NamedTuple):
    """Per home; NaN or None where the home has no heat pump or the value is not resolved."""

    compressor: list
    cutoff_f: np.ndarray
    cycling_degradation: np.ndarray
    hspf2: np.ndarray  # NaN where the home's curve is not a default one
    hspf2_from_hspf: np.ndarray  # bool: HSPF2 derived from an HSPF (the factor: hspf2_per_hspf)
    hspf2_per_hspf: np.ndarray
    backup: list
    defaulted: dict  # field -> bool array: the declared default was taken
    problems: list  # (row, field, message)


def air_source_rules(present, compressor, cutoff_f, cycling_degradation, hspf2, hspf, distribution, backup,
                     has_furnace, default_curve=None) -> AirSourceRules:
    """``present``: the home has an air-source heat pump; ``compressor``, ``distribution`` and ``backup``: lists (None
    where not given); ``cutoff_f``, ``cycling_degradation``, ``hspf2``, ``hspf``: arrays (NaN where not given);
    ``has_furnace``: a furnace, boiler or stove to fall back on; ``default_curve``: the homes whose curve is a default
    one (no performance points or tests; default: every home)."""
    from ..units import HSPF2_PER_HSPF
    from ..model.heat_pump import hspf2_range
    from ..profile import field_spec

    present = np.asarray(present, dtype=bool)
    n = present.size
    default_curve = np.ones(n, dtype=bool) if default_curve is None else np.asarray(default_curve, dtype=bool)
    given = {"compressor": np.array([c is not None for c in compressor], dtype=bool),
             "backup": np.array([x is not None for x in backup], dtype=bool)}
    comp_default = field_spec(f"{BASE}.compressor").default_for("air_source")
    comp = [c if c is not None else comp_default for c in compressor]
    cutoff = np.asarray(cutoff_f, dtype=float)
    given["cutoff"] = ~np.isnan(cutoff)
    cutoff = np.where(given["cutoff"], cutoff, field_spec(f"{BASE}.cutoff").default_for("air_source"))
    cd = np.asarray(cycling_degradation, dtype=float)
    given["cycling_degradation"] = ~np.isnan(cd)
    cd_default = {k: field_spec(f"{BASE}.cycling_degradation").default_for(k) for k in set(comp)}
    cd = np.where(given["cycling_degradation"], cd, [cd_default[k] for k in comp])
    rating = np.asarray(hspf2, dtype=float)
    old = np.asarray(hspf, dtype=float)
    kind_default = field_spec(f"{BASE}.distribution").default
    kinds = [d if d is not None else kind_default for d in distribution]
    factor = np.array([HSPF2_PER_HSPF[k] for k in kinds], dtype=float)
    from_hspf = np.isnan(rating) & ~np.isnan(old) & default_curve
    rating = np.where(from_hspf, np.round(old * factor, 3), rating)
    given["hspf2"] = ~np.isnan(rating)
    rating = np.where(given["hspf2"], rating, field_spec(f"{BASE}.hspf2").default)
    rating = np.where(default_curve, rating, np.nan)
    backup_default = field_spec(f"{BASE}.backup").default
    backups = [x if x is not None else backup_default for x in backup]
    problems = []
    ranges = {k: hspf2_range(k) for k in set(comp)}
    lo_of, hi_of = (np.array([ranges[k][i] for k in comp], dtype=float) for i in (0, 1))
    for j in np.flatnonzero(present & default_curve & ~((lo_of <= rating) & (rating <= hi_of))):
        lo, hi = ranges[comp[j]]
        if not lo <= rating[j] <= hi:
            problems.append((int(j), f"{BASE}.hspf2", f"the default {comp[j]} curves cover HSPF2 {lo:g} to {hi:g} "
                                                      f"(got {rating[j]:g}); give performance points instead"))
    has_furnace = np.asarray(has_furnace, dtype=bool)
    on = np.flatnonzero(present).tolist()
    pairs = list(zip([backups[j] for j in on], has_furnace[on].tolist()))
    answer = {pair: dual_fuel_problem(*pair) for pair in set(pairs)}  # the rule once per distinct pair
    if any(answer.values()):  # (the rows looked at only when some pair has a problem)
        for j, pair in zip(on, pairs):
            if answer[pair]:
                problems.append((int(j), *answer[pair]))
    return AirSourceRules(comp, cutoff, cd, rating, from_hspf, factor, backups,
                          {k: ~v for k, v in given.items()}, problems)


def dual_fuel_problem(backup: str, has_furnace: bool) -> tuple | None:
    """(field, message) when a heat pump backed by the furnace (dual fuel) has none to fall back on."""
    if backup == "furnace" and not has_furnace:
        return f"{BASE}.backup", "dual fuel needs a furnace, but systems.furnace is false"
    return None


def supply_water_problem(design_supply_f: float | None, mild_supply_f: float | None) -> tuple | None:
    """(field, message) when a heat pump that is not an air-to-water unit is given supply water."""
    if design_supply_f is not None or mild_supply_f is not None:
        return f"{BASE}.supply_temperature", "is an air-to-water unit's; add type: air_to_water or remove it"
    return None


def cooling_sized_btu_per_h(nominal_btu_per_h, cooling_design_btu_per_h, auto_sized) -> np.ndarray:
    """A heat pump that also cools is sized for the larger of its two loads (ACCA Manual S): where heatcalc sized
    it (``auto_sized``, and no cooling capacity given) and its heating size falls short of the cooling design load
    (NaN: the home is not cooled), the smallest standard size that covers that load."""
    from ..model.heat_pump import nominal_sizes_btu_per_h

    nominal = np.asarray(nominal_btu_per_h, dtype=float)
    design = np.asarray(cooling_design_btu_per_h, dtype=float)
    with np.errstate(invalid="ignore"):
        short = np.asarray(auto_sized, dtype=bool) & ~np.isnan(design) & (nominal < design)
    return np.where(short, nominal_sizes_btu_per_h(np.ones(nominal.shape), np.where(short, design, 0.0)), nominal)


def capacity_5f_share(given: dict | None, capacity_btu_per_h: float | None) -> tuple:
    """(the 5 F capacity as a share of the 47 F one, or None when not given; the problem as (field, message)):
    ``systems.heat_pump.capacity_5f`` as a share, or as a capacity over the 47 F ``capacity`` it then needs."""
    if given is None:
        return None, None
    if "share" in given:
        return given["share"], None
    if capacity_btu_per_h is None or capacity_btu_per_h != capacity_btu_per_h:
        return None, (f"{BASE}.capacity_5f", "as a capacity it needs systems.heat_pump.capacity (the 47 F capacity); "
                                             "or give it as a share, e.g. 0.7")
    return given["capacity"] / capacity_btu_per_h, None


def partial_rest(share: float, current_given: str | None, has_furnace: bool, ground: bool = False,
                 strips: str | None = None) -> tuple:
    """(what heats the rest of a home a heat pump serves ``share`` of -- ``furnace`` or ``electric_resistance`` --, or
    None for the whole home; the problem as (field, message)): the current system given when it is one of them, else
    the furnace, else resistance heat.  ``strips``: the resistance strips' field the profile gives (backup_capacity
    or backup_lockout), which the rest system leaves nothing to do."""
    if share >= 1.0:
        return None, None
    rest = current_given if current_given in ("furnace", "electric_resistance") else \
        "furnace" if has_furnace else "electric_resistance"
    if rest == "furnace" and not has_furnace:
        return None, (f"{BASE}.serves", "the rest of the home is heated by the furnace (economics.current), but "
                                        "systems.furnace is false")
    if ground:
        return None, (f"{BASE}.serves", "a share of the home is for air-source units (a ductless head); a "
                                        "ground-source unit heats the whole home")
    if strips:
        rest_words = rest.replace("_", " ")
        return None, (f"{BASE}.{strips}", f"applies to resistance strips backing up a heat pump that heats the whole "
                                          f"home; this one serves {share:g} of it, and the home's {rest_words} heats "
                                          "the rest and whatever the heat pump cannot carry: leave it out, or set "
                                          "serves to 1")
    return rest, None


class AirToWaterRules(NamedTuple):
    design_supply_f: np.ndarray  # the water at the design temperature [F] (NaN where the home has no such unit)
    mild_supply_f: np.ndarray  # at 60 F outdoors and above
    defaulted: dict  # field -> bool array: the declared default was taken
    problems: list  # (row, field, message)


#: The fields that rate air-to-air or ground-source units, which an air-to-water unit does not take.
NOT_AIR_TO_WATER = ("hspf2", "hspf", "capacity_5f", "field_factor", "performance", "tests", "cop", "loop",
                    "compressor")


def air_to_water_rules(present, given: dict, design_supply_f, mild_supply_f, other=None) -> AirToWaterRules:
    """An air-to-water unit on radiators or floors (:mod:`heatcalc.model.air_to_water`): ``present`` the homes with
    one; ``given`` the profile's values (field -> list, None where not given) of any of :data:`NOT_AIR_TO_WATER` and
    ``distribution``; the supply water at the design temperature and in mild weather (NaN where not given).
    ``other``: the homes whose heat pump is another kind, where supply water is a problem."""
    from ..profile import field_spec

    present = np.asarray(present, dtype=bool)
    design = np.asarray(design_supply_f, dtype=float)
    mild = np.asarray(mild_supply_f, dtype=float)
    problems = []
    if other is not None:
        for j in np.flatnonzero(np.asarray(other, dtype=bool) & (~np.isnan(design) | ~np.isnan(mild))):
            problems.append((int(j), *supply_water_problem(float(design[j]), float(mild[j]))))
    defaulted = {"supply_temperature.design": np.isnan(design), "supply_temperature.mild": np.isnan(mild)}
    design = np.where(np.isnan(design), field_spec(f"{BASE}.supply_temperature.design").default, design)
    mild = np.where(np.isnan(mild), field_spec(f"{BASE}.supply_temperature.mild").default, mild)
    for j in np.flatnonzero(present):
        for key in NOT_AIR_TO_WATER:
            if key in given and given[key][j] is not None:
                problems.append((int(j), f"{BASE}.{key}", "applies to air-to-air or ground-source units; an "
                                                          "air-to-water unit's performance comes from its "
                                                          "supply_temperature (and capacity)"))
        if "distribution" in given and given["distribution"][j] == "ducted":
            problems.append((int(j), f"{BASE}.distribution", "an air-to-water unit heats water for radiators or "
                                                             "floors, not ducts"))
        if mild[j] > design[j]:
            problems.append((int(j), f"{BASE}.supply_temperature.mild",
                             f"is hotter ({mild[j]:g} F) than the design supply ({design[j]:g} F): the water runs "
                             "coolest in mild weather"))
    nan = np.full(present.size, np.nan)
    return AirToWaterRules(np.where(present, design, nan), np.where(present, mild, nan), defaulted, problems)
