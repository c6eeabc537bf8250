"""Per-thread capture of ``sys.stdout``/``sys.stderr`` for predictors run in-process.

``contextlib.redirect_stdout`` swaps the process-wide stream: while a predictor ran, every
other thread of a served mock (or the test that started it) printed into the prediction's
logs, and two overlapping redirects could leave ``sys.stdout`` pointing at a dead buffer.
Here, while any capture is active, ``sys.stdout`` and ``sys.stderr`` are stand-ins that
send a capturing thread's writes to its buffer and every other thread's to the stream they
replaced. Writes straight to file descriptors 1 and 2 (C extensions, subprocesses) are not
captured.
"""

from __future__ import annotations

import contextlib
import io
import sys
import threading
from collections.abc import Iterator
from typing import Any, TextIO

_lock = threading.Lock()
_buffers: dict[int, TextIO] = {}  # thread ident -> where its output goes
_active = 0


class _ThreadRouter(io.TextIOBase):
    """A text stream that writes to the calling thread's buffer, or else to ``fallback``."""

    def __init__(self, fallback: TextIO) -> None:
        super().__init__()
        self.fallback = fallback

    def _target(self) -> TextIO:
        return _buffers.get(threading.get_ident(), self.fallback)

    def write(self, text: str) -> int:
        self._target().write(text)
        return len(text)

    def flush(self) -> None:
        self._target().flush()

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self._target().isatty()

    def fileno(self) -> int:
        return self.fallback.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.fallback, "encoding", "utf-8")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.fallback, name)


def current() -> TextIO | None:
    """The buffer this thread's output goes to, if it is capturing."""
    return _buffers.get(threading.get_ident())


@contextlib.contextmanager
def captured(buffer: TextIO) -> Iterator[None]:
    """Send this thread's ``sys.stdout`` and ``sys.stderr`` writes to ``buffer`` meanwhile."""
    global _active
    ident = threading.get_ident()
    with _lock:
        previous = _buffers.get(ident)
        _buffers[ident] = buffer
        if _active == 0:
            if not isinstance(sys.stdout, _ThreadRouter):
                sys.stdout = _ThreadRouter(sys.stdout)
            if not isinstance(sys.stderr, _ThreadRouter):
                sys.stderr = _ThreadRouter(sys.stderr)
        _active += 1
    try:
        yield
    finally:
        with _lock:
            if previous is None:
                del _buffers[ident]
            else:
                _buffers[ident] = previous
            _active -= 1
            if _active == 0:
                # Put the real streams back unless someone replaced ours meanwhile (their own
                # redirect restores our router later, which then passes everything through).
                if isinstance(sys.stdout, _ThreadRouter):
                    sys.stdout = sys.stdout.fallback
                if isinstance(sys.stderr, _ThreadRouter):
                    sys.stderr = sys.stderr.fallback
