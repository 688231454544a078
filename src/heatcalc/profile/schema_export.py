"""The JSON Schema of the profile (for editors), generated from the declaration."""

from __future__ import annotations

from .. import units as u
from .declare import Leaf, Section
from .validation import EXTENSION_PREFIX, PERIOD_FIELDS, POINT_FIELDS, SCHEMA


def _doc(spec: Leaf) -> str:
    default = spec.default_text()
    return f"{spec.doc} Default: {default}." if default else spec.doc


def _leaf_schema(spec: Leaf) -> dict:
    if spec.kind == "enum":
        return {"enum": list(spec.choices), "description": _doc(spec)}
    if spec.kind == "string":
        return {"type": "string", "description": _doc(spec)}
    if spec.kind == "angle":
        out = {"type": "number", "minimum": spec.minimum, "maximum": spec.maximum}
        return {"anyOf": [out, {"type": "string", "pattern": r"^\s*[-+]?[0-9.]+\s*(deg|degrees?|°)?\s*$"}],
                "description": _doc(spec)}
    if spec.kind == "number":
        out = {"type": "number"}
        if spec.minimum is not None:
            out["minimum"] = spec.minimum
        if spec.above is not None:
            out["exclusiveMinimum"] = spec.above
        if spec.maximum is not None:
            out["maximum"] = spec.maximum
        # a share may also be written as a percentage, "5 %"
        return {"anyOf": [out, {"type": "string", "pattern": r"^\s*[-+]?[0-9.]+\s*%\s*$"}], "description": _doc(spec)}
    if spec.kind == "bool":
        return {"type": "boolean", "description": _doc(spec)}
    if spec.kind == "periods":
        return {"type": "array", "minItems": 1, "description": _doc(spec), "items": {
            "type": "object", "additionalProperties": False, "required": ["price"],
            "properties": {"price": _leaf_schema(PERIOD_FIELDS["price"]), "days": _leaf_schema(PERIOD_FIELDS["days"]),
                           "months": {"description": PERIOD_FIELDS["months"].doc},
                           "hours": {"description": PERIOD_FIELDS["hours"].doc}}}}
    if spec.kind == "points":
        return {"type": "array", "minItems": 2, "description": _doc(spec), "items": {
            "type": "object", "additionalProperties": False, "required": ["outdoor", "capacity"],
            "properties": {k: _leaf_schema(p) for k, p in POINT_FIELDS.items()}}}
    if spec.kind == "tests":
        fields = spec.items._declarations
        return {"type": "array", "minItems": 2, "description": _doc(spec), "items": {
            "type": "object", "additionalProperties": False, "required": list(spec.items._rules["required"]),
            "properties": {k: _leaf_schema(p) for k, p in fields.items()}}}
    if spec.kind == "rows":
        fields = spec.items._declarations
        return {"type": "array", "minItems": 1, "description": _doc(spec), "items": {
            "type": "object", "additionalProperties": False, "required": list(spec.items._rules["required"]),
            "properties": {k: _leaf_schema(p) for k, p in fields.items()}}}
    if spec.kind == "date":
        return {"type": "string", "format": "date", "description": _doc(spec)}
    if spec.kind == "stages":
        one = {"type": "number", "minimum": spec.minimum, "maximum": spec.maximum}
        return {"anyOf": [one, {"type": "object", "additionalProperties": False, "required": ["full"],
                                "properties": {"full": one, "low": one}}], "description": _doc(spec)}
    if spec.kind == "retention":
        return {"anyOf": [{"type": "number", "minimum": 0.1, "maximum": 1.5},
                          {"type": "string", "pattern": r"^\s*[-+]?[0-9.,_]+\s*\S+"}], "description": _doc(spec)}
    kind = spec.unit(({})) if callable(spec.unit) else spec.unit
    units = kind.accepted() if kind else ""
    if callable(spec.unit):
        units = "therm, ccf, Mcf, m3, gal, kWh, MMBtu"
    doc = f"{_doc(spec)} A number with a unit ({units})" + (
        f"; a plain number is in {u.display_unit(kind.default)}." if spec.kind == "quantity" else ".")
    if spec.kind == "per_time":
        return {"type": "string", "description": doc, "pattern": r"/\s*(month|mo|year|yr)\s*$"}
    forms = [{"type": "number"}, {"type": "string", "pattern": r"^\s*[-+]?[0-9.,_]+([eE][-+]?\d+)?\s*\S*"}]
    if spec.choices:  # a quantity that may also be named by a word
        forms.append({"enum": list(spec.choices)})
    return {"anyOf": forms, "description": doc}


def _section_schema(sec: Section) -> dict:
    out: dict = {"type": "object", "description": sec.doc, "additionalProperties": False,
                 "properties": {k: (_section_schema(v) if isinstance(v, Section) else _leaf_schema(v))
                                for k, v in sec.fields.items()}}
    if sec.required:
        out["required"] = list(sec.required)
    if sec.can_be_false:
        return {"anyOf": [out, {"const": False}], "description": sec.doc}
    if getattr(sec.record, "__name__", "") == "Incentives":  # the shorthands validation accepts (SHORTHANDS)
        return {"anyOf": [out, {"const": "auto"}, {"type": "array", "items": {"type": "string"}},
                          {"type": "number", "minimum": 0}, {"type": "string"}], "description": sec.doc}
    return out


def json_schema() -> dict:
    """A JSON Schema (draft 2020-12) of the profile, for editors."""
    schema = _section_schema(SCHEMA)
    schema["required"] = ["location", "heating_load"]
    schema["patternProperties"] = {f"^{EXTENSION_PREFIX}": {"description": "Ignored: a place for YAML anchors."}}
    schema.update({"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "heatcalc home profile"})
    return schema

