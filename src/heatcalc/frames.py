"""Results as pandas DataFrames, for notebooks: pandas is imported only when a frame is asked for.  Below every other
module (it imports none of heatcalc), so any result can offer ``to_frame()``."""

from __future__ import annotations

import numbers


def records_frame(records, columns: list | None = None):
    """Plain records (dicts) as a pandas DataFrame, typed so a notebook can tell what is missing: text columns as
    pandas' string dtype with NA (not ``''``) where a record has none, True/False as nullable booleans, numbers
    that may be missing (None) as float64 with NaN, columns named ``*_date`` as timestamps (NaT where empty);
    anything else (mappings) kept as objects."""
    try:
        import pandas as pd
    except ImportError:
        raise ImportError("to_frame() needs pandas: pip install pandas") from None
    frame = pd.DataFrame(list(records), columns=columns)
    for name in frame.columns:
        values = [v for v in frame[name].tolist() if v is not None and v == v and v != ""]
        if str(name).endswith("_date"):
            frame[name] = pd.to_datetime(frame[name].where(frame[name].astype(object) != "", None),
                                         errors="coerce").astype("datetime64[ns]")
        elif values and all(isinstance(v, bool) for v in values):
            frame[name] = frame[name].astype(object).where(frame[name].astype(object) != "", None).astype("boolean")
        elif values and all(isinstance(v, str) for v in values):
            frame[name] = frame[name].astype(object).where(frame[name].notna() & (frame[name].astype(object) != ""),
                                                           None).astype("string")
        elif values and all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in values):
            if frame[name].dtype == object:
                frame[name] = pd.to_numeric(frame[name], errors="coerce").astype("float64")
        elif not values and frame[name].dtype == object:
            frame[name] = frame[name].astype("float64") if frame[name].isna().all() else frame[name]
    return frame


class Records(list):
    """A list of records (dicts) -- what ``installed_costs``, ``stations`` and ``prices`` return -- with
    ``to_frame()`` for a notebook."""

    def to_frame(self):
        return records_frame(self)
