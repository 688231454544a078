"""A progress bar for long runs, on stderr (stdout carries data only), shown only where someone is watching: a
terminal, or a Jupyter notebook (Rich draws it there as a live widget)."""

from __future__ import annotations

import sys
import time


def interactive() -> bool:
    """Whether a person watches stderr: a terminal, or an IPython kernel (a notebook)."""
    if "ipykernel" in sys.modules:
        return True
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False


class Bar:
    """Homes done of a total, their rate and the time left; Rich redraws it at most 10 times a second."""

    def __init__(self, total: int, what: str = "homes"):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.bar = Progress(TextColumn(what), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[rate]}"), TimeRemainingColumn(),
                            console=Console(stderr=True, markup=False), transient=True,
                            redirect_stdout=False, redirect_stderr=False)
        self.task = self.bar.add_task(what, total=total, rate="")
        self.bar.start()
        self.start = time.perf_counter()
        self.n = 0

    def advance(self, n: int = 1) -> None:
        self.n += n
        rate = self.n / max(1e-9, time.perf_counter() - self.start)
        self.bar.update(self.task, advance=n, rate=f"{rate:,.0f}/s")

    def stop(self) -> None:
        self.bar.stop()


def bar(total: int | None, show: bool | None = None) -> Bar | None:
    """A bar when ``show`` (None: when :func:`interactive`), else None."""
    if show is False or (show is None and not interactive()):
        return None
    return Bar(total)
