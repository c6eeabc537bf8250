"""Keyword options of the typed views, imported by generated client modules at run time.

They repeat the keywords of ``Client.run``, ``Client.stream`` and ``predictions.create``
(``use_file_output`` aside: a typed ``run`` always returns ``FileOutput`` for files, as its
output types say). ``tests/typegen`` compares them with those signatures, so a keyword added
to the client and not here fails a test rather than going untyped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, TypedDict

WebhookEvent = Literal["start", "output", "logs", "completed"]
FileEncodingStrategy = Literal["url", "base64"]


class _Webhooks(TypedDict, total=False):
    webhook: str | None
    webhook_events_filter: Sequence[WebhookEvent] | None
    cancel_after: str | int | float | None
    file_encoding_strategy: FileEncodingStrategy | None


class RunOptions(_Webhooks, total=False):
    """Options of a typed ``run``/``async_run``."""

    wait: bool | int | float
    webhook_completed: str | None


class StreamOptions(_Webhooks, total=False):
    """Options of a typed ``stream``."""

    use_file_output: bool | None


class CreateOptions(_Webhooks, total=False):
    """Options of a typed ``predictions.create``."""

    webhook_completed: str | None
    stream: bool | None
    wait: bool | int | float | None
