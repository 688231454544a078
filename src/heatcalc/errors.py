"""Domain exceptions and exit codes.  The library raises these; only the CLI turns them into messages."""


import re
from typing import NamedTuple
from enum import IntEnum

# C0 and C1 control characters (terminal escape sequences start with ESC or CSI), DEL, zero-width characters and
# bidirectional overrides: anything in user text that a terminal would act on or that would disguise the text.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


def printable(text) -> str:
    """User text (a name, a path, a key) as it may be shown: every control character written out as ``\\xNN``
    or ``\\uNNNN``, so nothing a user wrote can move the cursor, recolour the terminal or hide itself."""
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                            else f"\\u{ord(m.group()):04x}", str(text))


class ExitStatus(IntEnum):
    OK = 0
    ERROR = 1  # a runtime failure
    BAD_INPUT = 2  # bad usage or bad input
    PARTIAL = 3  # a batch finished but some homes failed
    HANGUP = 129  # 128 + SIGHUP
    INTERRUPTED = 130  # 128 + SIGINT (Ctrl-C)
    TERMINATED = 143  # 128 + SIGTERM


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

    def __reduce__(self):  # raised in a worker process, it comes back whole
        return type(self), (self.source, self.problems)

    def lines(self) -> list[str]:
        return [p.describe(self.source) for p in self.problems]


class DataError(HeatcalcError):
    """Embedded or user-supplied data (a weather file) could not be used."""


class ProfileErrors(HeatcalcError):
    """Several profiles failed; each keeps its own problems."""

    def __init__(self, errors: list[ProfileError]):
        self.errors = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors))

    def __reduce__(self):
        return type(self), (self.errors,)

    def lines(self) -> list[str]:
        return [line for e in self.errors for line in e.lines()]


class Stopped(KeyboardInterrupt):
    """A signal asked heatcalc to stop (SIGTERM, SIGHUP); handled like Ctrl-C, with its own exit status."""

    def __init__(self, signal_name: str, exit_status: ExitStatus):
        super().__init__(signal_name)
        self.signal_name, self.exit_status = signal_name, exit_status
