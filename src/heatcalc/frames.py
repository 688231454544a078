"""Results as pandas DataFrames, for notebooks: pandas is imported only when a frame is asked for.  Below every other
module (it imports none of heatcalc), so any result can offer ``to_frame()``."""

from __future__ import annotations


def records_frame(records, columns: list | None = None):
    """Plain records (dicts) as a pandas DataFrame."""
    try:
        import pandas as pd
    except ImportError:
        raise ImportError("to_frame() needs pandas: pip install pandas") from None
    return pd.DataFrame(list(records), columns=columns)


class Records(list):
    """A list of records (dicts) -- what ``installed_costs``, ``stations`` and ``prices`` return -- with
    ``to_frame()`` for a notebook."""

    def to_frame(self):
        return records_frame(self)
