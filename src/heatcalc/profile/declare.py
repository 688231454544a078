"""How a profile field is declared: once, with its type, unit, bounds, default (or the rule that computes it), the
default's source and a one-line doc.

The profile's typed classes (:mod:`heatcalc.profile.sections`) are :class:`Record` subclasses whose class body lists
their fields as :func:`leaf` and :func:`section` declarations.  From those declarations come the validator, the JSON
Schema, docs/profile.md, the homes table's dotted columns, ``sweep --vary`` and the defaults ``--explain`` reports.

Records are small immutable classes built without code generation: ``dataclasses`` costs about 13 ms to import
and 0.5 ms per class, a fifth of the CLI's start-up for the profile's thirty classes; these cost microseconds.
"""

# No ``from __future__ import annotations``: typing.NamedTuple would compile each annotation string at import.

from typing import Any, ClassVar, NamedTuple

from .. import units as u


class Leaf(NamedTuple):
    """The declaration of one value of a profile.

    ``default`` is in internal units (see :mod:`heatcalc.units`); when it depends on another field of the same
    section, it is a mapping from that field's value (named by ``default_by``) to the default.  ``rule`` says in
    words how a computed default is found, when there is no constant.  ``source`` says where the default comes from.
    """

    kind: str  # quantity | number | angle (degrees) | enum | string | points | periods | per_time | bool
    doc: str
    unit: Any = None  # a UnitKind, or a function of the sibling values giving one (None while they are wrong)
    minimum: float | None = None
    maximum: float | None = None
    above: float | None = None  # exclusive lower bound
    choices: tuple[str, ...] = ()
    default: Any = None
    default_by: str | None = None
    rule: str | None = None
    source: str | None = None
    example: Any = None
    items: Any = None  # for lists of mappings (points, periods): the Record class of one item

    def default_for(self, key: Any = None) -> Any:
        """The declared default (for ``key``, the value of the field named by ``default_by``), or None."""
        if self.default_by is not None and isinstance(self.default, dict):
            return self.default.get(key)
        return self.default

    def show(self, value: Any) -> str:
        """A value as a user would write it: in the field's default unit (``60 F``, ``10 kWh/MMBtu``)."""
        if value is None:
            return "none"
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return str(value).lower()
        if self.unit is None or callable(self.unit):
            return f"{value:g}"
        kind = self.unit
        scale = kind.table[kind.default]
        shown = value if callable(scale) else value / scale
        return f"{shown:g} {u.display_unit(kind.default)}"

    def default_text(self) -> str:
        """The default as documentation shows it, with its source."""
        if self.default is None:
            text = self.rule or ""
        else:
            if self.default_by is not None:
                text = "; ".join(f"{self.show(v)} for {k}" for k, v in self.default.items())
                text += f" (by {self.default_by})"
            else:
                text = self.show(self.default)
            if self.rule:
                text = f"{self.rule}; else {text}"
        if text and self.source:
            text += f" [{self.source}]"
        return text


class Section(NamedTuple):
    """The declaration of a section: its fields (name → :class:`Leaf` or :class:`Section`) and how they combine."""

    fields: dict
    doc: str
    one_of: tuple[str, ...] = ()  # at most one of these keys; see `required_one`
    required_one: bool = False
    required: tuple[str, ...] = ()
    can_be_false: bool = False  # `systems.furnace: false` leaves the system out
    record: Any = None  # the Record class that holds the section's values
    absent: str = "none"  # what an absent section becomes: "none" (None) or "empty" (a record of defaults)


class _SectionField(NamedTuple):
    record: type
    doc: str | None
    can_be_false: bool
    absent: str


def leaf(kind: str, doc: str, **declaration) -> Any:
    """Declare a value field in a :class:`Record` body (typed ``Any`` so that annotations stay the value's type)."""
    return Leaf(kind, doc, **declaration)


def section(record: type, doc: str | None = None, can_be_false: bool = False, absent: str = "none") -> Any:
    """Declare a sub-section field: ``absent="empty"`` makes an absent section a record of defaults (so
    ``profile.systems.furnace.afue`` is None rather than an error), and ``can_be_false`` lets ``false`` leave it
    out, which reads as None."""
    return _SectionField(record, doc, can_be_false, absent)


class _Documented(type):
    """Gives each Record class a docstring that lists its fields with their units, bounds, defaults and sources,
    built when asked for (``help(HeatPumpConfig)``), so importing the classes costs nothing more."""

    @property
    def __doc__(cls):
        text = cls.__dict__.get("__doc__") or ""
        declarations = cls.__dict__.get("_declarations")
        if not declarations:
            return text
        lines = ["", "", "Fields", "------"]
        for name, d in declarations.items():
            if isinstance(d, _SectionField):
                lines.append(f"{name} : {d.record.__name__} section")
                lines.append(f"    {' '.join((d.doc or d.record.__dict__.get('__doc__') or '').split())}")
                continue
            unit = ""
            if d.unit is not None and not callable(d.unit):
                unit = f" [{u.display_unit(d.unit.default)}; also {d.unit.accepted()}]"
            lines.append(f"{name} : {d.kind}{unit}")
            lines.append(f"    {d.doc}")
            bounds = []
            if d.minimum is not None:
                bounds.append(f">= {d.show(d.minimum) if not callable(d.unit) else d.minimum}")
            if d.above is not None:
                bounds.append(f"> {d.show(d.above) if not callable(d.unit) else d.above}")
            if d.maximum is not None:
                bounds.append(f"<= {d.show(d.maximum) if not callable(d.unit) else d.maximum}")
            if d.choices:
                bounds.append("one of " + ", ".join(d.choices))
            if bounds:
                lines.append("    Allowed: " + "; ".join(bounds))
            default = d.default_text()
            if default:
                lines.append(f"    Default: {default}")
        return text + "\n".join(lines)


class Record(metaclass=_Documented):
    """Base of the profile's typed classes: immutable, compared by value, built from keyword arguments.

    Subclasses declare fields as class attributes (:func:`leaf`, :func:`section`); section-wide rules are class
    keyword arguments: ``one_of``, ``required_one``, ``required``.  The class docstring is the section's doc.
    """

    _fields: ClassVar[tuple[str, ...]] = ()
    _declarations: ClassVar[dict] = {}
    _rules: ClassVar[dict] = {}
    _absent: ClassVar[tuple] = ()
    _meta: ClassVar[tuple[str, ...]] = ()  # extra attributes that are not profile fields (a profile's source)

    def __init_subclass__(cls, one_of: tuple[str, ...] = (), required_one: bool = False,
                          required: tuple[str, ...] = (), **kwargs):
        super().__init_subclass__(**kwargs)
        declarations = {k: v for k, v in vars(cls).items() if isinstance(v, (Leaf, _SectionField))}
        for name in declarations:
            delattr(cls, name)  # instances hold the values; the class keeps the declarations apart
        cls._declarations = declarations
        cls._fields = tuple(declarations)
        cls._rules = {"one_of": one_of, "required_one": required_one, "required": required}
        # what an absent field becomes: None, or (for sections declared absent="empty") a record of defaults
        cls._absent = tuple((name, d.record if isinstance(d, _SectionField) and d.absent == "empty" else None)
                            for name, d in declarations.items())

    def __init__(self, **values: Any):
        put = object.__setattr__
        for name, empty in self._absent:
            if name in values:
                put(self, name, values.pop(name))
            else:
                put(self, name, empty() if empty is not None else None)
        for name in self._meta:
            put(self, name, values.pop(name, None))
        if values:
            raise TypeError(f"{type(self).__name__} has no field {', '.join(sorted(values))}")

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable; use .replace({name}=...)")

    def replace(self, **changes: Any):
        """A copy with some fields changed."""
        values = {name: getattr(self, name) for name in self._fields + self._meta}
        values.update(changes)
        return type(self)(**values)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and all(getattr(self, n) == getattr(other, n) for n in self._fields)

    def __hash__(self) -> int:
        return hash((type(self).__name__,) + tuple(_hashable(getattr(self, n)) for n in self._fields))

    def __repr__(self) -> str:
        given = ", ".join(f"{n}={getattr(self, n)!r}" for n in self._fields if getattr(self, n) is not None)
        return f"{type(self).__name__}({given})"

    def to_data(self) -> dict:
        """The values as plain data (internal units), absent fields left out."""
        out = {}
        for name in self._fields:
            value = getattr(self, name)
            if value is None:
                continue
            out[name] = _plain(value)
        return out


def _plain(value: Any) -> Any:
    if isinstance(value, Record):
        return value.to_data()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, frozenset):
        return sorted(value)
    return value


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    return value


def section_declaration(record: type, doc: str | None = None, can_be_false: bool = False,
                        absent: str = "none") -> Section:
    """The :class:`Section` a Record class declares (recursively), for the validator, schema and docs."""
    fields = {}
    for name, declared in record._declarations.items():
        if isinstance(declared, _SectionField):
            fields[name] = section_declaration(declared.record, declared.doc, declared.can_be_false, declared.absent)
        else:
            fields[name] = declared
    rules = record._rules
    own_doc = record.__dict__.get("__doc__") or ""  # the class's own text, not the generated field list
    return Section(fields=fields, doc=" ".join((doc or own_doc).split()), one_of=rules["one_of"],
                   required_one=rules["required_one"], required=rules["required"], can_be_false=can_be_false,
                   record=record, absent=absent)


def line_of(lines: dict, path: str) -> int | None:
    """The line of a dotted field, or of the nearest section above it that has one."""
    while path:
        if path in lines:
            return lines[path]
        path = path.rpartition(".")[0]
    return lines.get("")

