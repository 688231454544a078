"""Bad input: every problem named with file, field and line; nothing constructed from YAML tags."""

import pytest

from heatcalc.errors import ProfileError
from heatcalc.home import build_home
from heatcalc.profile import MAX_PROFILE_BYTES, load_profile

GOOD = """\
location: {zip: "02134"}
heating_load:
  annual: 60 MMBtu
"""


def problems(path):
    with pytest.raises(ProfileError) as exc:
        build_home(load_profile(path))
    return exc.value.lines()


def test_good_profile_loads(write):
    home = build_home(load_profile(write("h.yaml", GOOD)))
    assert home.location.station_id == "725090"  # Boston Logan is nearest to 02134
    assert home.location.state == "MA"
    assert home.name == "h"


def test_yaml_syntax_error_has_line_and_column(write):
    lines = problems(write("s.yaml", "name: [unclosed\nlocation: {zip: 1}\n"))
    assert len(lines) == 1
    assert "s.yaml:" in lines[0] and "YAML syntax error, column" in lines[0]


def test_unknown_key_suggests(write):
    path = write("t.yaml", GOOD + "systms: {}\n")
    assert problems(path) == [f"{path}:4: systms: unknown key; did you mean 'systems'?"]


def test_all_errors_at_once_with_lines(write):
    text = """\
location: {zip: "02134"}
heating_load:
  annual: -5 MMBtu
systems:
  heat_pump: {hspf2: 55}
  furnace: {afue: 1.2}
prices:
  electricity: -0.1
  natural_gas: 3 $/gal
"""
    lines = problems(write("many.yaml", text))
    joined = "\n".join(lines)
    assert len(lines) == 5
    assert "many.yaml:3: heating_load.annual: must be above 0 MMBtu (got -5 MMBtu)" in joined
    assert "many.yaml:5: systems.heat_pump.hspf2: must be between 5 and 16 (got 55)" in joined
    assert "many.yaml:6: systems.furnace.afue: must be between 0.3 and 1 (got 1.2)" in joined
    assert "many.yaml:8: prices.electricity: must be between 0 and 5 $/kWh (got -0.1 $/kWh)" in joined
    assert "many.yaml:9: prices.natural_gas: unit 'gal' is not" not in joined
    assert "prices.natural_gas: unit '$/gal' is not a natural_gas price unit; use one of: $/therm" in joined


@pytest.mark.parametrize("snippet,field,message", [
    ("heating_load: {ua: 600 gal}", "heating_load.ua", "not a conductance unit"),
    ("heating_load: {ua: .nan}", "heating_load.ua", "finite"),
    ("heating_load: {annual: 60 MMBtu}\nsystems: {heat_pump: {performance: [{outdoor: 47, cop: 0.8, "
     "capacity: 30000}, {outdoor: 17, cop: 2, capacity: 20000}]}}", "performance[0].cop", "between 1 and 10"),
    ("heating_load: {from_bills: {fuel: natural_gas, amount: 700 gal}}", "from_bills.amount", "not a natural_gas"),
    ("heating_load: {annual: 60 MMBtu, ua: 500}", "heating_load", "only one of"),
    ("heating_load: {}", "heating_load", "needs one of"),
    ("heating_load: {annual: 60 MMBtu}\nsystems: {heat_pump: {compressor: inverter}}", "compressor",
     "must be one of single_stage"),
    ("heating_load: {from_bills: {fuel: natural_gas, amount: 700, non_heating: 10 therm}}", "non_heating",
     "per month or per year"),
])
def test_field_errors(write, snippet, field, message):
    lines = problems(write("p.yaml", 'location: {state: MA}\n' + snippet + "\n"))
    assert any(field in line and message in line for line in lines), lines


def test_unknown_zip_and_station(write):
    assert "location.zip: unknown US ZIP code '99999'" in problems(
        write("z.yaml", 'location: {zip: "99999"}\nheating_load: {annual: 60}\n'))[0]
    assert "location.station: unknown TMY3 station '123'" in problems(
        write("s.yaml", 'location: {station: 123}\nheating_load: {annual: 60}\n'))[0]


def test_flagged_station_refused(write):
    lines = problems(write("f.yaml", 'location: {station: "703884"}\nheating_load: {annual: 60}\n'))
    assert "corrupt" in lines[0]


def test_missing_weather_file(write):
    lines = problems(write("w.yaml", 'location: {weather_file: nowhere.epw}\nheating_load: {annual: 60}\n'))
    assert "location.weather_file" in lines[0] and "no such file" in lines[0]


def test_python_tag_is_refused_never_run(write, tmp_path):
    marker = tmp_path / "pwned"
    text = f'!!python/object/apply:os.system ["touch {marker}"]\n'
    lines = problems(write("u.yaml", text))
    assert "is not allowed" in lines[0]
    assert not marker.exists()


def test_alias_bomb_is_cut_off(write):
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        bomb += f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]\n"
    lines = problems(write("bomb.yaml", bomb))
    assert "expands to more than" in lines[0]


def test_huge_file_refused(write):
    lines = problems(write("big.yaml", "# " + "x" * MAX_PROFILE_BYTES + "\n"))
    assert "at most" in lines[0]


def test_empty_and_non_mapping(write):
    assert "empty" in problems(write("e.yaml", "\n"))[0]
    assert "mapping of sections" in problems(write("l.yaml", "- 1\n- 2\n"))[0]


def test_duplicate_key(write):
    lines = problems(write("d.yaml", GOOD + "location: {state: MA}\n"))
    assert "location: appears twice" in lines[0]


def test_unquoted_zip_with_leading_zero_is_kept(write):
    home = build_home(load_profile(write("z.yaml", "location: {zip: 02134}\nheating_load: {annual: 60}\n")))
    assert home.location.zip == "02134"


def test_dual_fuel_without_furnace(write):
    text = GOOD + "systems: {heat_pump: {backup: furnace}, furnace: false}\n"
    assert "dual fuel needs a furnace" in problems(write("df.yaml", text))[0]


def test_missing_file():
    with pytest.raises(ProfileError) as exc:
        load_profile(__import__("pathlib").Path("/nonexistent/home.yaml"))
    assert "no such file" in exc.value.lines()[0]
