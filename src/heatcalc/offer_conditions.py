"""What an incentive asks of the purchase, and whether a purchase gives it.

Rewiring America's data states an offer's items, owners, income limit and place as fields; what the purchase must
be beyond that (the system it replaces, the kind of home, other work done with it, a whole-home or a supplemental
heat pump, the group it is for) is only in its one-line description ("$1,500 rebate when you replace your electric
resistance heating system ...").  :func:`conditions` reads those sentences into a few kinds of condition, by rules
written here for the phrasings the data uses; :func:`judge` holds them against what the purchase is known to be:

- a condition the purchase meets, or that names nothing the purchase could contradict, lets the offer apply;
- a condition the purchase contradicts (a gas-replacement rebate for a home heated by resistance today; a
  ground-source credit on an air-source unit) leaves the offer out, with the reason;
- a condition the purchase does not say (the home type, insulation done at the same time, a veteran in the
  household) keeps the offer as "also possible if ...": listed, never counted in what comes off the price.

Procedural requirements (pre-approval, an approved contractor, an AHRI certificate) and amounts that vary ("depending
on fuel switching") are not conditions: the offer's range already carries them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

#: What a heat pump may replace, as :class:`Purchase` names it.
REPLACED = ("natural_gas", "propane", "heating_oil", "kerosene", "coal", "wood", "pellets", "electric_resistance",
            "heat_pump", "none")
FOSSIL = frozenset({"natural_gas", "propane", "heating_oil", "kerosene", "coal"})
HOME_TYPES = ("single_family", "manufactured", "multifamily")
AIR_SOURCE_ITEMS = frozenset({"ducted_heat_pump", "ductless_heat_pump"})
GROUND_SOURCE_ITEM = "geothermal_heating_installation"


class Purchase(NamedTuple):
    """What the household buys, as far as it is known (None: not known)."""

    item: str | None = None  # ducted_heat_pump, ductless_heat_pump or geothermal_heating_installation
    replaces: str | None = None  # one of REPLACED: the system it takes over from
    whole_home: bool | None = None  # the heat pump heats the whole home (not a supplemental head)
    home_type: str | None = None  # one of HOME_TYPES
    existing_home: bool | None = None  # an existing home, not new construction


class Condition(NamedTuple):
    kind: str  # replaces, home_type, new_construction, whole_home, partial, equipment, with_work, group, other
    value: object  # by kind: a frozenset of REPLACED, a home type, an item, or words
    words: str  # how a person reads it: "it replaces electric resistance heat"


_FUEL_WORDS = {"natural_gas": "gas", "propane": "propane", "heating_oil": "oil", "kerosene": "kerosene",
               "coal": "coal", "wood": "wood", "pellets": "pellet", "electric_resistance":
               "electric resistance", "heat_pump": "a heat pump", "none": "nothing"}

# Patterns read lower-case text with single spaces.
_RESISTANCE = (r"electric(al)? resist\w*|electric baseboard|baseboard heat|electric zonal|zonal electric"
               r"|resistance heat|electric forced[- ]air|forced air electric|(?<!non-)electric (furnace|heat\b)")
_REPLACING = r"\b(replac\w*|convert\w*|switch\w* from|upgrade\w* from|disabl\w*|decommission\w*|remov\w*)"
# where the replaced system's words end: the new equipment follows "with" or "to a"
_CLAUSE_END = re.compile(r" with | to an? | to (cold|high|energy)| and install| if |\.|;"
                         r"| for (income|customers|residential)")
_GROUND = re.compile(r"(cold climate |closed loop |new |qualifying |whole[- ]home )*(geothermal|ground[- ]source|"
                     r"ground[- ]coupled)( heat pumps?| heating| systems?| hvac)*")
_AIR = re.compile(r"heat pump|air[- ]source|\bair or\b|mini[- ]?split|ductless|ducted|ashp|air-to-air|electric or")


def _replaced(text: str):
    """The systems a replacement condition names, or None (no replacement named, a bonus for one, or an open
    list ending in "etc.")."""
    found = re.search(_REPLACING, text)
    if not found or re.search(r"(bonus|or \$[\d,]+(/\w+)?) (for|when|if) " + _REPLACING[2:], text) or re.search(
            r"replacement or new|new or replacement|for new\b[^.]*\breplacement", text):
        return None  # an amount for replacing on top of a base amount, or new and replacement units alike
    clause = text[found.start():]
    end = _CLAUSE_END.search(clause, 1)
    clause = clause[: end.start()] if end else clause
    if "etc" in clause:
        return None
    named: set = set()
    if re.search(_RESISTANCE, clause):
        named.add("electric_resistance")
    if re.search(r"fossil|non-electric", clause):
        named |= FOSSIL
    if re.search(r"non-electric", clause):  # a wood or pellet furnace is not electric either
        named |= {"wood", "pellets"}
    if re.search(r"delivered fuel", clause):
        named |= {"propane", "heating_oil", "kerosene"}
    if re.search(r"\bkerosene\b", clause):
        named.add("kerosene")
    if re.search(r"\bwood\b|\bpellet", clause):
        named |= {"wood", "pellets"}
    if re.search(r"\bcoal\b", clause):
        named.add("coal")
    if re.search(r"\bgas\b", clause):
        named.add("natural_gas")
    if re.search(r"\bpropane\b", clause):
        named.add("propane")
    if re.search(r"\boil\b", clause):
        named.add("heating_oil")
    if re.search(r"heat pump", clause):
        named.add("heat_pump")
    return frozenset(named) or None


def _words(replaced) -> str:
    names = [_FUEL_WORDS[r] for r in REPLACED if r in replaced]
    return "it replaces " + " or ".join(names) + ("" if names[-1] == "a heat pump" else " heat")


#: (phrase, unless this phrase too, the condition it sets): the conditions read from one phrase each.  Where two
#: read the same thing (a bonus for insulation or for weatherization), the first that matches is kept.
_PHRASES = (
    (r"manufactured|mobile home", r"(single-family|site[- ]built|existing)[^.]*\b(or|and) manufactured",
     Condition("home_type", "manufactured", "the home is a manufactured (mobile) home")),
    (r"new construction|new homes?\b|build a new", r"existing home",
     Condition("new_construction", True, "the home is new construction")),
    (r"all-electric home|fully electric|electric remodel", None,
     Condition("with_work", "all-electric", "the home goes all-electric")),
    (r"supplemental heat pump", None,
     Condition("partial", True, "the heat pump is supplemental (the old system heats the rest)")),
    (r"already have a partial", None,
     Condition("with_work", "partial", "a partial-home heat pump is already installed")),
    (r"whole[- ]home", r"partial[- ]home|already have a partial",
     Condition("whole_home", True, "the heat pump heats the whole home")),
    (r"both the insulation|insulation (and|&) heat pump", None,
     Condition("with_work", "insulation", "insulation is done too (both programs)")),
    (r"weatheriz\w* and install|when you weatherize|weatherization (is )?required",
     r"both the insulation|insulation (and|&) heat pump",
     Condition("with_work", "weatherization", "the home is weatherized too")),
    (r"complete an? home energy (checkup|check-up|assessment)|complete an? (home )?energy audit", None,
     Condition("with_work", "audit", "a home energy checkup is done first")),
)


@lru_cache(maxsize=8192)
def conditions(description: str, program: str = "", items: tuple = ()) -> tuple:
    """The conditions an offer's description (and program name) set on the purchase."""
    text = " ".join(description.lower().split())
    out = []
    replaced = _replaced(text)
    if re.search(r"(without|not using|no) (natural )?gas heating", text):
        out.append(Condition("replaces", frozenset(REPLACED) - {"natural_gas"}, "the home is not heated with gas "
                                                                               "today"))
    elif re.search(r"(replac\w*|convert\w*) (your |an? )?(old |existing )?(ac\b|air[- ]condition|evaporative)|"
                   r"evaporative cooler", text):
        out.append(Condition("other", "cooling", "it replaces an evaporative cooler or an air conditioner"))
    elif replaced:
        out.append(Condition("replaces", replaced, _words(replaced)))
    for pattern, unless, condition in _PHRASES:
        if re.search(pattern, text) and not (unless and re.search(unless, text)):
            out.append(condition)
    if "veteran" in text or "veteran" in program.lower():
        out.append(Condition("group", "veterans", "the household is a veteran's"))
    if _GROUND.search(text) and not _AIR.search(_GROUND.sub(" ", text)) and set(items) & AIR_SOURCE_ITEMS:
        out.append(Condition("equipment", GROUND_SOURCE_ITEM, "the heat pump is ground source"))
    if re.search(r"clothes dryer|wood stove insert|water heater|refrigerator", text) and not re.search(
            r"heat pump|mini[- ]?split|hvac", text):
        out.append(Condition("other", "equipment", "its page covers this heat pump (its description is of other "
                                                   "equipment)"))
    return tuple(out)


def judge(conds: tuple, purchase: Purchase) -> tuple[str, list[str]]:
    """("fits", []), ("excluded", [why]) or ("possible", [what it needs]) for an offer's conditions."""
    unmet, unknown = [], []
    for c in conds:
        verdict = _verdict(c, purchase)
        if verdict is False:
            unmet.append(c.words)
        elif verdict is None:
            unknown.append(c.words)
    if unmet:
        return "excluded", unmet
    if unknown:
        return "possible", unknown
    return "fits", []


def _verdict(c: Condition, p: Purchase):
    """True (met), False (contradicted) or None (the purchase does not say)."""
    if c.kind == "replaces":
        return None if p.replaces is None else p.replaces in c.value
    if c.kind == "home_type":
        return None if p.home_type is None else p.home_type == c.value
    if c.kind == "new_construction":
        return None if p.existing_home is None else not p.existing_home
    if c.kind == "whole_home":
        return None if p.whole_home is None else p.whole_home
    if c.kind == "partial":
        return None if p.whole_home is None else not p.whole_home
    if c.kind == "equipment":
        return None if p.item is None else p.item == c.value
    return None  # other work, a group, cooling replaced: nothing in a profile says
