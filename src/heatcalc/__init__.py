"""heatcalc: what would it cost per year to heat this home with a heat pump, a furnace or resistance heat?"""

__version__ = "0.1.0"
