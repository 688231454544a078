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
    BaseUse, GasBlock, Solar,
)
from .validation import (
    EXTENSION_PREFIX, PERIOD_FIELDS, POINT_FIELDS, SCHEMA, field_spec, one_of_members, parse_field_value,
    rating_points_from_text, replaced_defaults, suggest, validate,
)


def json_schema() -> dict:
    """A JSON Schema (draft 2020-12) of the profile, for editors."""
    from .schema_export import json_schema as make

    return make()


#: The fields that name a file, relative to the profile's folder (a homes table's rows: to the table's; a --defaults
#: profile's: to its own).  Outputs are never written over any of them.
FILE_FIELDS = ("location.weather_file", "tariff.urdb", "heating_load.hourly.file", "cooling_load.hourly.file",
               "systems.heat_pump.tariff.urdb")


def absolute_file(name, base_dir) -> str | None:
    """A file field's value as the model opens it: ``~`` expanded, relative to ``base_dir`` (when known)."""
    import os
    from pathlib import Path

    if not isinstance(name, str) or not name:
        return None
    path = Path(name).expanduser()
    if not path.is_absolute() and base_dir is not None:
        path = Path(base_dir) / path
    return os.path.abspath(path) if path.is_absolute() or base_dir is not None else str(path)


def _file_values(profile: Profile) -> list:
    """The values of :data:`FILE_FIELDS` in a profile, in that order (None where absent)."""
    location, tariff = profile.location, profile.tariff
    out = [location.weather_file if location is not None else None, tariff.urdb if tariff is not None else None]
    for load in (profile.heating_load, getattr(profile, "cooling_load", None)):
        hourly = getattr(load, "hourly", None) if load is not None else None
        out.append(hourly.file if hourly is not None else None)
    hp = profile.systems.heat_pump if profile.systems is not None else None
    out.append(hp.tariff.urdb if hp is not None and hp.tariff is not None else None)
    return out


def files_read(profile: Profile) -> list:
    """The files a profile points to (its weather file, URDB rate and load series), resolved as the model reads
    them: outputs must never be written over them."""
    from pathlib import Path

    return [Path(absolute_file(name, profile.base_dir)) for name in _file_values(profile) if name]


def absolute_files(data: dict, base_dir) -> dict:
    """Plain profile data with its file fields made absolute against ``base_dir`` (in place, and returned): what a
    --defaults profile or ``Profile.to_dict()`` gives keeps naming the same files wherever it is used."""
    for field in FILE_FIELDS:
        node = data
        *parents, last = field.split(".")
        for part in parents:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict) and isinstance(node.get(last), str) and node[last]:
            node[last] = absolute_file(node[last], base_dir)
    return data


def _profile_eq(self: Profile, other: object) -> bool:
    """Two profiles are equal when every field is, file fields compared as the files they name (a profile and its
    ``to_dict()`` round trip, whose paths are absolute, are the same home; two profiles naming ``rate.json`` in
    different folders are not)."""
    if type(other) is not type(self):
        return False
    mine, theirs = _file_values(self), _file_values(other)
    if [absolute_file(n, self.base_dir) for n in mine] != [absolute_file(n, other.base_dir) for n in theirs]:
        return False
    return all(_without_files(getattr(self, n), n) == _without_files(getattr(other, n), n) for n in self._fields)


def _without_files(value, name: str):
    """A section with its file fields blanked (they are compared resolved, by :func:`_profile_eq`)."""
    for field in [f.split(".", 1)[1] for f in FILE_FIELDS if f.startswith(name + ".")]:
        value = _blank(value, field.split("."))
    return value


def _blank(record, parts: list):
    """``record`` with the dotted field ``parts`` set to None (a copy; unchanged where a section is absent)."""
    if record is None or not hasattr(record, "replace"):
        return record
    head, rest = parts[0], parts[1:]
    child = getattr(record, head, None)
    if child is None:
        return record
    return record.replace(**{head: _blank(child, rest) if rest else None})


def _profile_hash(self: Profile) -> int:
    from .declare import _hashable

    return hash((tuple(absolute_file(n, self.base_dir) for n in _file_values(self)),
                 *(_hashable(_without_files(getattr(self, n), n)) for n in self._fields)))


def _checked(profile: Profile) -> Profile:
    """A Profile built or changed in code (``Profile(...)``, ``p.replace(...)``), validated as its YAML would be.

    A profile read from YAML holds internal units; values set in code are taken as a YAML user writes them (a bare
    number in the field's documented unit, ``"3 ton"`` with its unit). So the fields that still equal what the
    profile's own YAML gives are taken from that YAML as written, and only the changed ones from the code."""
    if getattr(profile, "_validated", False):
        return profile
    original = None
    if profile.data is not None:
        original = validate(copy_data(profile.data), profile.source or "profile", profile.lines,
                            default_name=profile.name or "profile", base_dir=profile.base_dir)
        if original == profile:
            return original
    data = _user_data(profile, original, profile.data if original is not None else None)
    return validate(data, profile.source or "profile", profile.lines, default_name=profile.name or "profile",
                    base_dir=profile.base_dir)


def _user_data(record, original, raw) -> dict:
    from collections.abc import Mapping

    from .declare import _plain

    out = {}
    for name in record._fields:
        value = getattr(record, name)
        before = getattr(original, name, None) if original is not None else None
        given = raw.get(name) if isinstance(raw, Mapping) else None
        if original is not None and value == before:
            if isinstance(raw, Mapping) and name in raw:
                out[name] = copy_data(given)  # as the YAML wrote it
            continue  # a default the YAML left out stays out
        if value is None:
            continue
        if isinstance(value, Record):
            out[name] = _user_data(value, before if type(before) is type(value) else None,
                                   given if isinstance(given, Mapping) else None)
        else:
            out[name] = _plain(value)
    if isinstance(raw, Mapping):  # keys that are not fields (x- anchors) stay, so line numbers still match
        out.update({k: copy_data(v) for k, v in raw.items() if k not in record._fields and k not in out})
    return out


def profile_to_dict(profile: Profile) -> dict:
    """The profile as plain data in the units a user writes (``"780 therm"``, ``"3 ton"``), which loads back to an
    equal Profile: a profile read from YAML gives its YAML as written (with any changes made in code since), one
    built in code gives the values it was given."""
    checked = _checked(profile)
    if checked.data is None:
        return {}
    # file fields absolute: the dict has no folder of its own, and must name the files this profile reads; the
    # name a file gave by default is kept, so that the dict is the same home under the same name
    data = absolute_files(copy_data(checked.data), checked.base_dir)
    if data.get("name") is None and checked.name is not None:
        data = {"name": checked.name, **data}
    return data


def profile_to_yaml(profile: Profile) -> str:
    """:func:`profile_to_dict` as YAML text."""
    import datetime

    import yaml

    def plain(value):
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        if isinstance(value, (datetime.date, str, int, float, bool)) or value is None:
            return value
        return str(value)

    return yaml.safe_dump(plain(profile_to_dict(profile)), sort_keys=False, allow_unicode=True)


# The Record classes cannot import the validator (it imports them), so these methods are attached here.
Profile.to_dict = profile_to_dict
Profile.to_yaml = profile_to_yaml
Profile.__eq__ = _profile_eq
Profile.__hash__ = _profile_hash


def load_profile(source) -> Profile:
    """A validated :class:`Profile` from a path (``str`` or ``Path``), a mapping in the YAML's shape, or a
    :class:`Profile` (returned as it is).  Raises :class:`~heatcalc.errors.ProfileError` listing every problem."""
    from pathlib import Path

    if isinstance(source, Profile):
        return _checked(source)
    if isinstance(source, (str, Path)):
        return load_profile_file(Path(source))
    if isinstance(source, dict):
        return validate(copy_data(source), "profile", default_name="profile")
    from ..errors import Problem, ProfileError

    raise ProfileError("profile", [Problem("", f"give a path, a mapping or a Profile, not {type(source).__name__}")])


__all__ = [
    "AirConditionerConfig", "BACKUPS", "BaseUse", "Bills", "GasBlock", "Solar", "COMPRESSORS", "CoolingBills", "CoolingDesign", "CoolingLoad",
    "DesignLoad", "EXTENSION_PREFIX", "EconomicsConfig", "Emissions", "Escalation", "FixedCharges", "FurnaceConfig",
    "HeatPumpConfig", "HeatingLoad", "Incentives", "InstalledCosts", "Leaf", "Location", "MAX_DEPTH", "MAX_NODES",
    "MAX_PROFILE_BYTES", "PERIOD_FIELDS", "POINT_FIELDS", "PerformancePoint", "Prices", "Profile", "Record",
    "ResistanceConfig", "SCHEMA", "SYSTEMS", "Section", "Systems", "Tariff", "TariffPeriod", "copy_data",
    "FILE_FIELDS", "absolute_file", "absolute_files", "field_spec", "files_read", "one_of_members", "replaced_defaults", "json_schema", "profile_to_dict", "profile_to_yaml", "load_profile", "load_profile_file", "parse_field_value", "parse_profile_text",
    "rating_points_from_text", "read_yaml", "set_field", "suggest", "validate",
]
