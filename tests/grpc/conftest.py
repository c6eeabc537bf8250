"""Every conversion the gRPC tests make runs both ways: the per-type plans (``plans``) and
json_format, which they replace for speed; any difference fails the test that caused it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from google.protobuf.message import Message

from mock_server.grpc import convert, plans

_fast_message = convert.json_to_message
_fast_fields = convert._request_fields


@pytest.fixture(autouse=True)
def plans_agree_with_json_format(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    differences: list[str] = []

    def json_to_message(data: Any, cls: type[Message]) -> Message:
        fast = _fast_message(data, cls)
        try:
            slow = convert.parsed_message(data, cls)
        except Exception as exc:  # the plan must have given up on this body too
            differences.append(f"{cls.__name__}: json_format failed ({exc}), the plan did not")
            raise
        if fast.SerializeToString(deterministic=True) != slow.SerializeToString(deterministic=True):
            differences.append(f"{cls.__name__}: {fast} != {slow} for {data!r}")
        return fast

    def request_fields(request: Message) -> dict[str, Any]:
        fast = _fast_fields(request)
        read = plans.request_reader(request.DESCRIPTOR)
        if read is not None:
            slow = convert.printed_fields(request)
            if list(read(request).items()) != list(slow.items()):
                differences.append(f"{type(request).__name__}: {read(request)} != {slow}")
        return fast

    monkeypatch.setattr(convert, "json_to_message", json_to_message)
    monkeypatch.setattr(convert, "_request_fields", request_fields)
    yield
    assert differences == []
