"""Profiles: the typed declaration of a home's profile, and YAML (or a mapping) → a validated :class:`Profile`.

This package is the only place that knows the profile's keys and unit strings.  Every field is declared once, in
:mod:`heatcalc.profile.sections`; the validator, the JSON Schema, docs/profile.md, the homes table's columns,
``sweep --vary`` and the defaults ``--explain`` reports are all read from that declaration.
"""

from .declare import Leaf, Record, Section
from .reading import (
    MAX_DEPTH, MAX_NODES, MAX_PROFILE_BYTES, copy_data, load_profile_file, parse_profile_text, read_yaml, set_field,
)
from .sections import (
    BACKUPS, COMPRESSORS, SYSTEMS, AirConditionerConfig, Bills, CoolingBills, CoolingDesign, CoolingLoad, DesignLoad,
    EconomicsConfig, Emissions, Escalation, FixedCharges, FurnaceConfig, HeatingLoad, HeatPumpConfig, Incentives,
    InstalledCosts, Location, PerformancePoint, Prices, Profile, ResistanceConfig, Systems, Tariff, TariffPeriod,
)
from .validation import (
    EXTENSION_PREFIX, PERIOD_FIELDS, POINT_FIELDS, SCHEMA, field_spec, parse_field_value, rating_points_from_text,
    suggest, validate,
)


def json_schema() -> dict:
    """A JSON Schema (draft 2020-12) of the profile, for editors."""
    from .schema_export import json_schema as make

    return make()


def load_profile(source) -> Profile:
    """A validated :class:`Profile` from a path (``str`` or ``Path``), a mapping in the YAML's shape, or a
    :class:`Profile` (returned as it is).  Raises :class:`~heatcalc.errors.ProfileError` listing every problem."""
    from pathlib import Path

    if isinstance(source, Profile):
        return source
    if isinstance(source, (str, Path)):
        return load_profile_file(Path(source))
    if isinstance(source, dict):
        return validate(copy_data(source), "profile", default_name="profile")
    from ..errors import Problem, ProfileError

    raise ProfileError("profile", [Problem("", f"give a path, a mapping or a Profile, not {type(source).__name__}")])


__all__ = [
    "AirConditionerConfig", "BACKUPS", "Bills", "COMPRESSORS", "CoolingBills", "CoolingDesign", "CoolingLoad",
    "DesignLoad", "EXTENSION_PREFIX", "EconomicsConfig", "Emissions", "Escalation", "FixedCharges", "FurnaceConfig",
    "HeatPumpConfig", "HeatingLoad", "Incentives", "InstalledCosts", "Leaf", "Location", "MAX_DEPTH", "MAX_NODES",
    "MAX_PROFILE_BYTES", "PERIOD_FIELDS", "POINT_FIELDS", "PerformancePoint", "Prices", "Profile", "Record",
    "ResistanceConfig", "SCHEMA", "SYSTEMS", "Section", "Systems", "Tariff", "TariffPeriod", "copy_data",
    "field_spec", "json_schema", "load_profile", "load_profile_file", "parse_field_value", "parse_profile_text",
    "rating_points_from_text", "read_yaml", "set_field", "suggest", "validate",
]
