"""Reading what users hand heatcalc, within limits, and writing output files so that none is ever left cut short.

Every user file (a profile, ``--defaults``, a weather file, a homes table, stdin) comes through here, so the same
rules hold everywhere:

* a regular file larger than its limit is refused before it is read, and nothing is read past the limit;
* a named pipe (FIFO) is opened without blocking: if no program writes to it within :func:`pipe_wait_s` seconds
  the read is refused instead of hanging;
* devices (``/dev/zero``, a terminal) and folders are refused;
* text lines of a table are read one at a time, each at most :data:`MAX_LINE_BYTES` long.

Outputs go through :class:`Output`: ``-`` is stdout; an existing file that is not a regular file (``/dev/null``, a
pipe, a terminal) is written in place, never replaced; anything else is written to a temporary file in the same
folder, synced, and renamed over the target only when complete.  Any failed write (no space, an I/O error, the
file-size limit) raises :class:`OutputError` naming the output, and leaves no temporary file and no cut-short target.
An output that is one of the inputs is refused (:func:`refuse_overwriting_inputs`).
"""

from __future__ import annotations

import os
import re
import select
import stat
import sys
from pathlib import Path
from typing import IO, Iterable, Iterator

from .errors import ExitStatus, HeatcalcError

MAX_LINE_BYTES = 1_000_000  # one row of a homes table
DEFAULT_PIPE_WAIT_S = 10.0


class InputError(HeatcalcError):
    """A user's file cannot be read as given (missing, a device, too large, a pipe nobody writes to)."""

    def __init__(self, source: str, reason: str):
        self.source, self.reason = source, reason
        super().__init__(f"{source}: {reason}")

    def __reduce__(self):  # raised in a worker process, it comes back whole (pickle passes only str(self) otherwise)
        return type(self), (self.source, self.reason)


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
    """Whether two paths name one file: the same device and inode when both exist, else the same resolved path
    (links and ``..`` followed)."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return os.path.realpath(a) == os.path.realpath(b)


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


_stops: list = []


def note_stop(stop: BaseException) -> None:
    """Remember a stop signal. Its exception can be swallowed where it lands (inside a garbage-collection callback
    or a __del__, Python prints "Exception ignored" and goes on), so no output is committed after it."""
    _stops.append(stop)


def stop_noted() -> BaseException | None:
    return _stops[0] if _stops else None


class OutputError(HeatcalcError):
    """An output could not be written (a full disk, an I/O error, the file-size limit): a runtime failure, exit 1."""

    exit_status = ExitStatus.ERROR

    def __init__(self, name: str, reason: str):
        self.name, self.reason = name, reason
        super().__init__(f"{name}: {reason}")

    def __reduce__(self):
        return type(self), (self.name, self.reason)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


class _Guarded:
    """A file object whose write, flush and close raise :class:`OutputError` naming the output instead of a bare
    OSError; everything else is the wrapped file's."""

    def __init__(self, raw, name: str):
        self._raw, self._name = raw, name

    def write(self, data):
        try:
            return self._raw.write(data)
        except BrokenPipeError:
            raise  # the reader is done (| head): not a failure
        except OSError as exc:
            raise OutputError(self._name, _reason(exc)) from None

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self._raw.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(self._name, _reason(exc)) from None

    def close(self) -> None:
        try:
            self._raw.close()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(self._name, _reason(exc)) from None

    def writable(self) -> bool:
        return True

    def __getattr__(self, name):
        return getattr(self._raw, name)


def is_stdout(path) -> bool:
    return path is not None and str(path) == "-"


class Output:
    """Where a command writes one output: stdout (``-``), a device or pipe written in place, or a regular file
    written under a temporary name and renamed over the target by :meth:`commit`.

    :meth:`discard` (or an exception inside ``with``) removes the temporary file and leaves any old target as it
    was.  ``file`` is text (``binary=False``) or bytes; its writes raise :class:`OutputError` on failure."""

    def __init__(self, path: str | Path, binary: bool = False):
        import tempfile

        self.binary = binary
        self.tmp: str | None = None
        self.done = False
        if is_stdout(path):
            self.path, self.name, self.kind = None, "stdout", "stdout"
            raw = sys.stdout.buffer if binary else sys.stdout
            self.file = _Guarded(raw, self.name)
            return
        self.path = Path(path)
        self.name = str(path)
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            info = None
        except OSError as exc:
            raise OutputError(self.name, f"cannot write here ({_reason(exc)})") from None
        if info is not None and stat.S_ISDIR(info.st_mode):
            raise HeatcalcError(f"{self.name}: is a folder; give a file name")
        if info is not None and not stat.S_ISREG(info.st_mode):
            # A device or a pipe: write to it as it is. Renaming a file over it would replace /dev/null itself.
            self.kind = "direct"
            try:
                raw = open(self.path, "wb" if binary else "w", **({} if binary else
                                                                    {"newline": "", "encoding": "utf-8"}))
            except OSError as exc:
                raise OutputError(self.name, f"cannot write ({_reason(exc)})") from None
            self.file = _Guarded(raw, self.name)
            return
        self.kind = "file"
        folder = self.path.parent if str(self.path.parent) else Path(".")
        try:
            fd, self.tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=folder)
        except FileNotFoundError:
            raise HeatcalcError(f"{self.name}: the folder {folder} does not exist") from None
        except OSError as exc:
            raise OutputError(self.name, f"cannot write here ({_reason(exc)})") from None
        raw = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", newline="", encoding="utf-8")
        self.file = _Guarded(raw, self.name)

    def commit(self) -> None:
        """Finish the output: flush it (and sync and rename a file); :class:`OutputError` if any of it fails."""
        if self.done:
            return
        if _stops:  # a stop arrived, even one whose exception was lost: the old target stays as it was
            self.discard()
            raise _stops[0]
        self.done = True
        if self.kind == "stdout":
            self.file.flush()
            return
        if self.kind == "direct":
            self.file.close()
            return
        try:
            self.file.flush()
            try:
                os.fsync(self.file.fileno())  # a disk that fills or fails on write-back says so here, not later
            except OSError as exc:
                raise OutputError(self.name, _reason(exc)) from None
            self.file.close()
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(self.tmp, 0o666 & ~mask)  # mkstemp makes it private; give it the mode a new file would have
            try:
                os.replace(self.tmp, self.path)
            except OSError as exc:
                raise OutputError(self.name, f"cannot write ({_reason(exc)})") from None
        except BaseException:
            self._remove()
            raise

    def discard(self) -> None:
        if self.done:
            return
        self.done = True
        if self.kind == "stdout":
            return
        try:
            self.file._raw.close()
        except OSError:
            pass
        self._remove()

    def _remove(self) -> None:
        if self.tmp is None:
            return
        try:
            self.file._raw.close()
        except OSError:
            pass
        try:
            os.unlink(self.tmp)
        except OSError:
            pass

    def __enter__(self) -> "Output":
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

