"""Bugs never look like bad input, and bad input to a Python call names the argument (issue "Honest answers 2"):
wrong types are TypeErrors naming the call and argument, a failure inside a valid profile's run is raised as
what it is, angles take angle units only, and the leftovers of the previous battery."""

import pytest

import heatcalc

P = {"location": {"zip": "02134"}, "heating_load": {"annual": "60 MMBtu"}}

WRONG_TYPES = [
    # the seven calls that raised AttributeError from deep inside
    (lambda: heatcalc.installed_costs("3 ton", state=5), "installed_costs: state"),
    (lambda: heatcalc.find_incentives("02134", utility=5), "find_incentives: utility"),
    (lambda: heatcalc.stations(state=5), "stations: state"),
    (lambda: heatcalc.stations(near=2134), "stations: near"),
    (lambda: heatcalc.prices(state=5), "prices: state"),
    (lambda: heatcalc.sweep(P, 5), "sweep: vary"),
    (lambda: heatcalc.rate_heat_pump(points=5), "rate_heat_pump: points"),
    # values of the right look and the wrong kind, once accepted
    (lambda: heatcalc.find_incentives("02134", household_size=2.5), "find_incentives: household_size"),
    (lambda: heatcalc.find_incentives("02134", owner="false"), "find_incentives: owner"),
    (lambda: heatcalc.find_incentives("02134", income="95k"), "find_incentives: income"),
    (lambda: heatcalc.stations(limit="x"), "stations: limit"),
    (lambda: heatcalc.write_report(P, None), "write_report: path"),
    (lambda: list(heatcalc.compare_many(5)), "compare_many: profiles"),
    (lambda: list(heatcalc.compare_many([P], jobs="2")), "compare_many: jobs"),
]


@pytest.mark.parametrize("call,named", WRONG_TYPES, ids=[n for _, n in WRONG_TYPES])
def test_a_wrong_type_is_a_type_error_naming_the_argument(call, named):
    with pytest.raises(TypeError) as info:
        call()
    assert f"heatcalc.{named} must be" in str(info.value)


def test_values_a_call_silently_bent_are_refused():
    with pytest.raises(heatcalc.HeatcalcError, match="limit must be 0"):
        heatcalc.stations(limit=-5)  # it dropped the last five stations
    assert len(heatcalc.stations(limit=3)) == 3
    import numpy as np

    assert heatcalc.find_incentives("02134", household_size=np.int64(3), owner=True).zip == "02134"


def test_a_failure_inside_a_valid_profile_is_not_called_bad_input(monkeypatch):
    # it was reported as "is not a profile: give a path, a mapping or a Profile (ValueError: ...)"
    from heatcalc import home

    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(home, "build_home", broken)
    with pytest.raises(ValueError, match="a bug"):
        list(heatcalc.compare_many([P]))
    # what is not a profile is still said to be one clear problem
    (result,) = heatcalc.compare_many([5])
    assert isinstance(result, heatcalc.ProfileError) and "give a path, a mapping or a Profile" in str(result)


@pytest.mark.parametrize("tilt,ok", [("30 %", False), ("30 F", False), ("30 deg", True), ("30°", True), (30, True),
                                     ("30 degrees", True)])
def test_angles_take_angle_units_only(tilt, ok):
    # "30 %" was read as 0.3 degrees
    profile = {**P, "solar": {"capacity": "4 kW", "tilt": tilt, "azimuth": "180 deg"}}
    if ok:
        assert heatcalc.load_profile(profile).solar.tilt == 30.0
    else:
        with pytest.raises(heatcalc.ProfileError, match="solar.tilt: is an angle in degrees"):
            heatcalc.load_profile(profile)


def test_size_names_the_hspf2_it_used_for_the_profiles_unit(write, cli):
    # the 'as given' row printed nan without an hspf2; the default is 8.1 (RESNET 301's default HSPF2 here)
    proc = cli("size", write("s.yaml", "location: {zip: '02134'}\nheating_load: {annual: 60 MMBtu}\n"), "-f", "csv")
    assert proc.returncode == 0, proc.stderr
    header, profile_row = proc.stdout.splitlines()[:2]
    row = dict(zip(header.split(","), profile_row.split(",")))
    assert row["unit"] == "profile" and float(row["hspf2"]) == heatcalc.load_profile(P).systems.heat_pump.hspf2 \
        or float(row["hspf2"]) == 8.1
    assert "nan" not in proc.stdout


def test_any_csv_header_is_a_header_and_is_printed_literally(write, cli):
    name = "<b onmouseover=alert(7)>x"
    write("load.csv", f"time,{name}\n" + "".join(f"{h},1\n" for h in range(8760)))
    proc = cli("compare", write("l.yaml", "location: {zip: '02134'}\nheating_load:\n"
                                          "  hourly: {file: load.csv, column: y, unit: kWh}\n"))
    assert proc.returncode == 2
    assert f"'{name}'" in proc.stderr and "not a CSV header" not in proc.stderr
    # a settings file (KEY=value) is still not taken for a load series, nor echoed
    write("env.csv", "SECRET_TOKEN=abc123\n")
    proc = cli("compare", write("e.yaml", "location: {zip: '02134'}\nheating_load:\n"
                                          "  hourly: {file: env.csv, column: y, unit: kWh}\n"))
    assert proc.returncode == 2 and "abc123" not in proc.stderr


def test_errors_cross_process_boundaries_whole():
    # compare_many(jobs=2) raises a worker's errors in the parent: each must unpickle to the same error (an
    # InputError pickled by its message alone broke the pool: "missing 1 required positional argument: 'reason'")
    import pickle

    from heatcalc.errors import Problem, ProfileError, ProfileErrors
    from heatcalc.fileio import InputError, OutputError

    for error in (InputError("a.yaml", "no such file"), OutputError("out.csv", "disk full"),
                  ProfileError("home.yaml", [Problem("location.zip", "unknown ZIP", 3)]),
                  ProfileErrors([ProfileError("b.yaml", [Problem("", "empty")])])):
        again = pickle.loads(pickle.dumps(error))
        assert type(again) is type(error) and str(again) == str(error) and again.lines() == error.lines()
        assert set(vars(again)) == set(vars(error))


def test_compare_many_in_processes_yields_a_missing_files_error(tmp_path):
    results = list(heatcalc.compare_many([str(tmp_path / "missing.yaml"),
                                          {"location": {"zip": "02134"}, "heating_load": {"annual": "60 MMBtu"}}],
                                         jobs=2))
    assert isinstance(results[0], heatcalc.HeatcalcError) and "missing.yaml" in str(results[0])
    assert results[1].summary.cheapest
