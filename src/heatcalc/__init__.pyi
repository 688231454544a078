# The public names of heatcalc as type checkers see them. At run time they are imported on first use (see
# __init__.py) so that `import heatcalc` stays light; this stub gives mypy and pyright their real types.
from .api import (
    compare as compare, compare_many as compare_many, find_incentives as find_incentives,
    installed_costs as installed_costs, prices as prices,
    rate_heat_pump as rate_heat_pump, schema as schema, size as size, stations as stations, sweep as sweep,
    write_report as write_report,
)
from .cluster import compare_frame as compare_frame
from .errors import HeatcalcError as HeatcalcError, Problem as Problem, ProfileError as ProfileError
from .profile import Profile as Profile, load_profile as load_profile
from .results import Comparison as Comparison, Row as Row

__version__: str
__all__: list[str]
