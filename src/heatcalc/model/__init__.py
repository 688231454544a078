"""Pure physics: heating load, heat pump performance, furnaces, resistance heat and the hourly engine.

Nothing in this package imports yaml, typer or rich, or knows about profiles.
"""
