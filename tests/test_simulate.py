import pytest

from heatcalc.home import build_home
from heatcalc.profile import load_profile
from heatcalc.simulate import compare_home, compare_many

from .conftest import PROFILES


def test_many_homes_together_equal_one_by_one():
    homes = [build_home(load_profile(p)) for p in PROFILES]
    homes += homes[:3]  # repeated stations exercise the grouped path
    together = compare_many(homes)
    for home, c in zip(homes, together):
        alone = compare_home(home)
        assert [r["system"] for r in c.row_dicts()] == [r["system"] for r in alone.row_dicts()]
        for a, b in zip(c.row_dicts(), alone.row_dicts()):
            for key, value in a.items():
                if isinstance(value, float):
                    assert value == pytest.approx(b[key], rel=1e-9, abs=1e-9), (home.name, key)
                else:
                    assert value == b[key]
