"""The live status view shown on a terminal while a prediction runs.

``LiveView`` is a rich renderable holding the state (status, elapsed time, last log lines,
streamed text); ``live_view`` displays it on stderr, refreshed in place, and clears it
when done so only the result remains on the screen.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.spinner import Spinner
from rich.text import Text

_STATUS_STYLE = {
    "starting": "yellow",
    "processing": "cyan",
    "succeeded": "green",
    "failed": "red",
    "canceled": "magenta",
    "aborted": "magenta",
}


class LiveView:
    def __init__(
        self,
        title: str,
        *,
        log_lines: int = 5,
        text_lines: int = 20,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.title = title
        self.status = "starting"
        self.prediction_id = ""
        self._logs: list[str] = []
        self._text: list[str] = []
        self._log_lines = log_lines
        self._text_lines = text_lines
        self._clock = clock
        self._started = clock()

    @property
    def elapsed(self) -> float:
        return self._clock() - self._started

    def set_logs(self, logs: str | None) -> None:
        """Replace the logs with a polled prediction's full log text."""
        self._logs = (logs or "").splitlines()

    def add_log(self, line: str) -> None:
        self._logs.extend(line.splitlines() or [""])

    def add_text(self, chunk: str) -> None:
        self._text.append(chunk)

    @property
    def log_tail(self) -> list[str]:
        return self._logs[-self._log_lines :]

    @property
    def text(self) -> str:
        return "".join(self._text)

    def headline(self) -> Text:
        style = _STATUS_STYLE.get(self.status, "white")
        parts: list[tuple[str, str] | str] = [(self.status, f"bold {style}"), f"  {self.title}"]
        if self.prediction_id:
            parts.append((f"  {self.prediction_id}", "dim"))
        parts.append((f"  {self.elapsed:.1f}s", "bold"))
        return Text.assemble(*parts)

    def __rich__(self) -> RenderableType:
        rows: list[RenderableType] = [Spinner("dots", text=self.headline())]
        for line in self.log_tail:
            rows.append(Text(f"  │ {line}", style="dim", no_wrap=True, overflow="ellipsis"))
        if self._text:
            lines = self.text.splitlines()[-self._text_lines :]
            rows.append(Text("\n".join(lines)))
        return Group(*rows)


@contextmanager
def live_view(view: LiveView, console: Console, enabled: bool) -> Iterator[LiveView]:
    """Show ``view`` on ``console`` while the block runs (only when ``enabled``)."""
    manager = (
        Live(view, console=console, refresh_per_second=12, transient=True)
        if enabled
        else nullcontext()
    )
    with manager:
        yield view
