"""The commented starter profile that `heatcalc init` writes."""

STARTER_PROFILE = """\
# A heatcalc home profile. Every field is documented in docs/profile.md; `heatcalc schema` prints a JSON Schema
# that editors can use to complete and check this file.
name: My home

location:
  zip: "02134"                 # or: state: MA | station: "725090" | lat: 42.36 + lon: -71.01 | weather_file: x.epw

heating_load:                  # one of from_bills, annual, design, ua, hourly
  from_bills:
    fuel: natural_gas          # natural_gas | propane | heating_oil | electricity
    amount: 780 therm          # a year of bills (therm, ccf, Mcf, m3, gal, kWh, MMBtu), or dated bills:
    # periods:                 #   fitted to the weather of their dates (then leave out amount and balance_point)
    #   - {start: 2024-01-03, end: 2024-02-02, amount: 95 therm}
    #   - {start: 2024-02-02, end: 2024-03-04, amount: 88 therm}
    efficiency: 0.80           # the current system's AFUE (or COP for electric heat)
    non_heating: 15 therm/month  # water heating, cooking on the same meter
  # annual: 62 MMBtu
  # design: {load: 42000 Btu/h, outdoor: 6 F}
  # ua: 650 Btu/h/F
  # hourly: {file: load.csv, column: heat_out_kw, unit: kW}   # EnergyPlus, OCHRE, BEopt or ResStock output
  balance_point: 60 F

systems:                       # all three are compared; set one to false to leave it out
  heat_pump:
    hspf2: 8.1
    compressor: variable_speed # single_stage | two_stage | variable_speed
    # capacity: 3 ton          # default: sized to the home's design load
    backup: electric_resistance  # or furnace (dual fuel)
    cutoff: -13 F
  furnace:
    fuel: natural_gas
    afue: 0.95
  electric_resistance:
    efficiency: 1.0

# prices:                      # default: EIA 2023 state averages
#   electricity: 0.28 $/kWh
#   natural_gas: 1.85 $/therm
"""
