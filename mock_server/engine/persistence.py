"""Keep the engine's state in a file across restarts (``replicate-mock serve --state FILE``).

`load_file` restores a saved state into a freshly started engine; `Autosave` writes the state
every ``interval`` seconds (when it changed) and once more on `Autosave.stop`. Each write goes to
a temporary file in the same directory, is flushed to disk, then renamed over the target: a crash
(even ``kill -9``) leaves the previous complete file, so at most the last interval is lost.
The document's format is described in `state_file`.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from pathlib import Path
from typing import Protocol

import orjson

from mock_server.engine import state_file
from mock_server.engine.state_file import StateError

DEFAULT_INTERVAL = 2.0

log = logging.getLogger("replicate_mock.state")


class Engine(state_file.Engine, Protocol):
    @property
    def lock(self) -> threading.RLock: ...
    @property
    def generation(self) -> int: ...


def load_file(engine: Engine, path: Path) -> bool:
    """Restore the state saved at ``path``; False when there is none yet (a first start).

    Raises `StateError` with a one-line reason when the file cannot be used.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise StateError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        document = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise StateError(f"{path} is not valid JSON ({exc})") from exc
    with engine.lock:
        state_file.load(engine, document)
    return True


def save_file(engine: Engine, path: Path) -> None:
    """Write the state atomically (temporary file, fsync, rename)."""
    with engine.lock:
        document = state_file.dump(engine)
    _write(path, orjson.dumps(document))


def _write(path: Path, data: bytes) -> None:
    directory = path.resolve().parent
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def check_writable(path: Path) -> None:
    """Fail at start, not at the first save, when the state cannot be written there."""
    directory = path.resolve().parent
    if not directory.is_dir():
        raise StateError(f"cannot write {path}: {directory} is not a directory")
    if not os.access(directory, os.W_OK):
        raise StateError(f"cannot write {path}: {directory} is not writable")


class Autosave:
    """Saves on a background thread every ``interval`` seconds, and on `stop`."""

    def __init__(self, engine: Engine, path: Path, interval: float = DEFAULT_INTERVAL) -> None:
        if interval <= 0:
            raise ValueError("the state save interval must be positive")
        self._engine = engine
        self._path = path
        self._interval = interval
        self._stop = threading.Event()
        self._saved: tuple[object, ...] | None = None
        self._thread = threading.Thread(target=self._run, name="replicate-mock-state", daemon=True)

    def start(self) -> Autosave:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the thread, then write the final state."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)
        try:
            self.save()
        except OSError as exc:
            log.error("replicate-mock: cannot save the state to %s: %s", self._path, exc)

    def save(self) -> None:
        with self._engine.lock:  # the fingerprint of exactly what is written
            fingerprint = self._fingerprint()
            document = state_file.dump(self._engine)
        _write(self._path, orjson.dumps(document))
        self._saved = fingerprint

    def _fingerprint(self) -> tuple[object, ...]:
        # Not every change bumps `generation` (an account made on first use, an upload), so
        # the sizes of those stores count too; a virtual clock's position is state as well.
        engine = self._engine
        with engine.lock:
            clock = engine.clock.now() if engine.clock.is_virtual else None
            return (
                engine.generation,
                len(engine.accounts.all()),
                engine.files.seq,
                len(engine.blobs.items()),
                clock,
            )

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            if self._fingerprint() == self._saved:
                continue
            try:
                self.save()
            except OSError as exc:  # keep serving; the next interval tries again
                log.error("replicate-mock: cannot save the state to %s: %s", self._path, exc)
                self._saved = None
