"""Domain exceptions and exit codes.  The library raises these; only the CLI turns them into messages."""

from __future__ import annotations

from typing import NamedTuple
from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0
    ERROR = 1  # a runtime failure
    BAD_INPUT = 2  # bad usage or bad input
    PARTIAL = 3  # a batch finished but some homes failed


class Problem(NamedTuple):
    """One thing wrong with an input: where (field path, line) and why."""

    field: str
    message: str
    line: int | None = None

    def describe(self, source: str) -> str:
        where = f"{source}:{self.line}" if self.line else source
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class HeatcalcError(Exception):
    """Base of all errors heatcalc reports to the user without a traceback."""

    exit_status = ExitStatus.BAD_INPUT

    def lines(self) -> list[str]:
        return [str(self)]


class ProfileError(HeatcalcError):
    """A profile (or a row of a homes table) has one or more problems; all of them are listed."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = list(problems)
        super().__init__("; ".join(p.describe(source) for p in self.problems))

    def lines(self) -> list[str]:
        return [p.describe(self.source) for p in self.problems]


class DataError(HeatcalcError):
    """Embedded or user-supplied data (a weather file) could not be used."""


class ProfileErrors(HeatcalcError):
    """Several profiles failed; each keeps its own problems."""

    def __init__(self, errors: list[ProfileError]):
        self.errors = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors))

    def lines(self) -> list[str]:
        return [line for e in self.errors for line in e.lines()]
