"""Ducts (``ducts.efficiency``) for any number of homes: the share of each system's heat (and cooling) that reaches
the rooms.  A furnace, a ducted heat pump and an air conditioner blow through the ducts; a ductless or air-to-water
heat pump, a boiler, a stove and resistance heat do not (ASHRAE 152 defines the seasonal distribution efficiency)."""


from typing import NamedTuple

import numpy as np

DUCTLESS_KINDS = ("boiler", "stove", "insert")


class Distribution(NamedTuple):
    """Per system, per home: the share of its heat that reaches the rooms (1 where nothing is lost)."""

    heat_pump: np.ndarray
    furnace: np.ndarray
    electric_resistance: np.ndarray
    air_conditioner: np.ndarray

    def bills_share(self, billed) -> np.ndarray:
        """The share of a year of bills' heat that reached the rooms: a furnace's (or boiler's) fuel bills paid for
        its ducts' losses too; electric bills are taken as baseboard heat, without ducts."""
        return np.where([f not in (None, "electricity") for f in billed], self.furnace, 1.0)


def distribution_rules(present, efficiency, hp_ducted, furnace_kind) -> Distribution:
    """``present``: the home describes its ducts; ``efficiency``: ``ducts.efficiency`` (NaN: the declared
    default); ``hp_ducted``: its heat pump blows through them; ``furnace_kind``: furnace, boiler, stove, insert or
    None."""
    from ..profile import field_spec

    present = np.asarray(present, dtype=bool)
    eff = np.asarray(efficiency, dtype=float)
    eff = np.where(np.isnan(eff), field_spec("ducts.efficiency").default, eff)
    eff = np.where(present, eff, 1.0)
    ducted_furnace = np.array([k not in DUCTLESS_KINDS for k in furnace_kind], dtype=bool)
    return Distribution(np.where(np.asarray(hp_ducted, dtype=bool), eff, 1.0), np.where(ducted_furnace, eff, 1.0),
                        np.ones(eff.size), eff)
