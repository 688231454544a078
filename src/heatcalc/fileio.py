"""Reading what users hand heatcalc, within limits, and writing output files so that none is ever left cut short.

Every user file (a profile, ``--defaults``, a weather file, a homes table, stdin) comes through here, so the same
rules hold everywhere:

* a regular file larger than its limit is refused before it is read, and nothing is read past the limit;
* a named pipe (FIFO) is opened without blocking: if no program writes to it within :func:`pipe_wait_s` seconds
  the read is refused instead of hanging;
* devices (``/dev/zero``, a terminal) and folders are refused;
* text lines of a table are read one at a time, each at most :data:`MAX_LINE_BYTES` long.

Output files are written to a temporary file in the same folder and renamed over the target only when complete
(:class:`AtomicOutput`), and an output that is one of the inputs is refused (:func:`refuse_overwriting_inputs`).
"""

from __future__ import annotations

import os
import re
import select
import stat
import sys
from pathlib import Path
from typing import IO, Iterable, Iterator

from .errors import HeatcalcError

MAX_LINE_BYTES = 1_000_000  # one row of a homes table
DEFAULT_PIPE_WAIT_S = 10.0


class InputError(HeatcalcError):
    """A user's file cannot be read as given (missing, a device, too large, a pipe nobody writes to)."""

    def __init__(self, source: str, reason: str):
        self.source, self.reason = source, reason
        super().__init__(f"{source}: {reason}")


def pipe_wait_s() -> float:
    """How long to wait for a program to start writing to a named pipe (``HEATCALC_PIPE_WAIT``, seconds)."""
    try:
        value = float(os.environ.get("HEATCALC_PIPE_WAIT", DEFAULT_PIPE_WAIT_S))
    except ValueError:
        return DEFAULT_PIPE_WAIT_S
    return value if 0 < value < 3600 else DEFAULT_PIPE_WAIT_S


def _kind_problem(path: str, mode: int, what: str) -> str | None:
    if stat.S_ISDIR(mode):
        return f"is a folder, not a {what}"
    if stat.S_ISREG(mode) or stat.S_ISFIFO(mode):
        return None
    return f"is a device or socket, not a {what}; give a file"


def _stat(path: str, what: str) -> os.stat_result:
    try:
        return os.stat(path)
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except PermissionError:
        raise InputError(path, "permission denied; check the file's permissions") from None
    except OSError as exc:
        raise InputError(path, f"cannot read the {what} ({exc.strerror})") from None


def _open_fifo(path: str, what: str) -> int:
    """Open a named pipe without blocking, and wait (bounded) until a writer has sent something or hung up."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLHUP)
    wait = pipe_wait_s()
    if not poller.poll(wait * 1000):
        os.close(fd)
        raise InputError(path, f"is a named pipe and no program wrote to it within {wait:g} s "
                               "(set HEATCALC_PIPE_WAIT to wait longer)")
    os.set_blocking(fd, True)
    return fd


def read_limited(path: str | Path, limit: int, what: str) -> bytes:
    """The bytes of a regular file or named pipe, refusing more than ``limit`` bytes (and devices, folders)."""
    path = str(path)
    info = _stat(path, what)
    problem = _kind_problem(path, info.st_mode, what)
    if problem:
        raise InputError(path, problem)
    too_big = f"a {what} may be at most {limit:,} bytes"
    if stat.S_ISREG(info.st_mode) and info.st_size > limit:
        raise InputError(path, f"{too_big} (this one is {info.st_size:,})")
    try:
        if stat.S_ISFIFO(info.st_mode):
            with os.fdopen(_open_fifo(path, what), "rb") as fh:
                data = fh.read(limit + 1)
        else:
            with open(path, "rb") as fh:
                data = fh.read(limit + 1)
    except PermissionError:
        raise InputError(path, "permission denied; check the file's permissions") from None
    except OSError as exc:
        raise InputError(path, f"cannot read the {what} ({exc.strerror})") from None
    if len(data) > limit:
        raise InputError(path, too_big)
    return data


def open_binary(path: str | Path, what: str) -> IO[bytes]:
    """Open a regular file or named pipe for streaming (a homes table), refusing devices and folders."""
    path = str(path)
    info = _stat(path, what)
    problem = _kind_problem(path, info.st_mode, what)
    if problem:
        raise InputError(path, problem)
    try:
        if stat.S_ISFIFO(info.st_mode):
            return os.fdopen(_open_fifo(path, what), "rb")
        return open(path, "rb")
    except OSError as exc:
        raise InputError(path, f"cannot read the {what} ({exc.strerror})") from None


class LineTooLong(Exception):
    def __init__(self, line: int):
        self.line = line


def text_lines(stream: IO[bytes], max_bytes: int = MAX_LINE_BYTES, first: bytes | None = None) -> Iterator[str]:
    """Lines of a UTF-8 text stream, newline kept, a leading BOM dropped, each at most ``max_bytes`` long.

    Bytes that are not UTF-8 are kept as lone surrogates (``surrogateescape``), so the caller can say which line
    is bad (:func:`has_undecodable`) instead of failing on the whole stream.  Raises :class:`LineTooLong`.
    ``first`` is a line already read from the stream (to tell a table from a profile).
    """
    number = 0
    while True:
        raw, first = (first, None) if first is not None else (stream.readline(max_bytes + 1), None)
        if not raw:
            return
        number += 1
        if len(raw) > max_bytes:
            raise LineTooLong(number)
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        yield raw.decode("utf-8", errors="surrogateescape")


_UNDECODABLE = re.compile("[\udc80-\udcff]")


def has_undecodable(text: str) -> bool:
    """True when ``text`` came from bytes that are not UTF-8 (see :func:`text_lines`)."""
    return _UNDECODABLE.search(text) is not None


# --- output -------------------------------------------------------------------------------------------------------

def same_file(a: str | Path, b: str | Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def refuse_overwriting_inputs(outputs: dict[str, str | Path | None], inputs: Iterable[str | Path]) -> None:
    """Raise when an output file (``{"--output": path}``) is one of the inputs, or two outputs are one file."""
    inputs = [p for p in inputs if p not in (None, "-")]
    named = [(option, path) for option, path in outputs.items() if path is not None and str(path) != "-"]
    for option, path in named:
        for source in inputs:
            if same_file(path, source):
                raise HeatcalcError(f"{option} {path}: is one of the inputs; write the output to another file")
    for i, (option, path) in enumerate(named):
        for other, other_path in named[i + 1:]:
            if same_file(path, other_path):
                raise HeatcalcError(f"{option} and {other} name the same file ({path}); give two files")


class AtomicOutput:
    """A text file written under a temporary name in the target's folder and renamed over the target by
    :meth:`commit`; :meth:`discard` (or an exception inside ``with``) removes it, leaving any old file as it was.
    A crash leaves at worst a hidden ``.NAME.*.tmp`` file, never a cut-short file under the target's name."""

    def __init__(self, path: str | Path):
        import tempfile

        self.path = Path(path)
        folder = self.path.parent if str(self.path.parent) else Path(".")
        try:
            fd, self.tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=folder)
        except OSError as exc:
            raise HeatcalcError(f"{self.path}: cannot write here ({exc.strerror})") from None
        self.file = os.fdopen(fd, "w", newline="", encoding="utf-8")
        self.done = False

    def commit(self) -> None:
        if self.done:
            return
        self.done = True
        self.file.close()
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(self.tmp, 0o666 & ~mask)  # mkstemp makes it private; give it the mode a new file would have
        try:
            os.replace(self.tmp, self.path)
        except OSError as exc:
            self._remove()
            raise HeatcalcError(f"{self.path}: cannot write ({exc.strerror})") from None

    def discard(self) -> None:
        if self.done:
            return
        self.done = True
        self.file.close()
        self._remove()

    def _remove(self) -> None:
        try:
            os.unlink(self.tmp)
        except OSError:
            pass

    def __enter__(self) -> "AtomicOutput":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.discard()


def stdin_is_terminal() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False

