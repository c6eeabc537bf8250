"""The client's one-pass message -> HTTP JSON conversion against protobuf's own json_format.

Every message type of the package is filled field by field (and left empty), converted by
``grpc_codec.message_json``, and compared with ``json_format.MessageToDict`` reshaped by the
documented rules (status names, int64 as ints, integral Struct numbers as ints, unset fields
with presence as None).
"""

from __future__ import annotations

from typing import Any

import pytest
from google.protobuf import descriptor_pool, json_format, message_factory
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

from replicate_kit._transport import grpc_codec as codec

PACKAGE = "replicate_kit.v1"


def _messages() -> list[Descriptor]:
    pool = descriptor_pool.Default()
    found = []
    for op in codec.OPERATIONS.values():
        codec.message_classes(op)  # imports every generated module
    for module in ("predictions", "models", "files", "deployments", "trainings", "search"):
        file = pool.FindFileByName(f"replicate_kit/v1/{module}.proto")
        found.extend(file.message_types_by_name.values())
    return sorted({d.full_name: d for d in found}.values(), key=lambda d: d.full_name)


def _fill(message: Message, depth: int = 0) -> None:
    for field in message.DESCRIPTOR.fields:
        if field.containing_oneof is not None and field.containing_oneof.fields[0] is not field:
            continue  # one member of each oneof
        kind = field.message_type
        if kind is not None and kind.GetOptions().map_entry:
            getattr(message, field.name)["k"] = "v"
        elif kind is not None and kind.full_name == "google.protobuf.Struct":
            getattr(message, field.name).update({"n": 3, "f": 1.5, "l": [1, "a", None], "b": True})
        elif kind is not None and kind.full_name == "google.protobuf.Value":
            getattr(message, field.name).struct_value.update({"x": [2.0, {"y": None}]})
        elif kind is not None and kind.full_name == "google.protobuf.Duration":
            getattr(message, field.name).FromMilliseconds(1500)
        elif kind is not None and kind.full_name == "google.protobuf.Timestamp":
            getattr(message, field.name).FromNanoseconds(1_700_000_000_123_000_000)
        elif kind is not None:
            if depth < 2:
                child = getattr(message, field.name)
                target = child.add() if field.is_repeated else child
                _fill(target, depth + 1)
        elif field.is_repeated:
            getattr(message, field.name).append(_scalar(field))
        else:
            setattr(message, field.name, _scalar(field))


def _scalar(field: FieldDescriptor) -> Any:
    if field.enum_type is not None:
        return 3
    return {
        FieldDescriptor.TYPE_STRING: f"{field.name}-value",
        FieldDescriptor.TYPE_BOOL: True,
        FieldDescriptor.TYPE_INT32: 7,
        FieldDescriptor.TYPE_INT64: 9_007_199_254_740_993,
        FieldDescriptor.TYPE_DOUBLE: 0.25,
        FieldDescriptor.TYPE_BYTES: b"\x00\xff",
    }[field.type]


def _numbers(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_numbers(v) for v in value]
    if isinstance(value, dict):
        return {k: _numbers(v) for k, v in value.items()}
    return value


def _reference(data: dict[str, Any], descriptor: Descriptor) -> dict[str, Any]:
    for field in descriptor.fields:
        kind = field.message_type
        if field.name not in data:
            if field.has_presence and not field.is_repeated:
                data[field.name] = None
            continue
        value = data[field.name]
        if field.enum_type is not None:
            data[field.name] = str(value).removeprefix("PREDICTION_STATUS_").lower()
        elif field.type == field.TYPE_INT64:
            data[field.name] = [int(v) for v in value] if field.is_repeated else int(value)
        elif (
            kind is not None
            and kind.full_name.startswith(PACKAGE)
            and not kind.GetOptions().map_entry
        ):
            data[field.name] = (
                [_reference(v, kind) for v in value]
                if field.is_repeated
                else _reference(value, kind)
            )
        elif (
            kind is not None
            and kind.full_name.startswith("google.protobuf.")
            and kind.name != "Timestamp"
        ):
            data[field.name] = _numbers(value)
    return data


@pytest.mark.parametrize("descriptor", _messages(), ids=lambda d: d.name)
@pytest.mark.parametrize("filled", [True, False], ids=["filled", "empty"])
def test_message_json_is_json_format_reshaped(descriptor: Descriptor, filled: bool) -> None:
    message = message_factory.GetMessageClass(descriptor)()
    if filled:
        _fill(message)
    expected = _reference(
        json_format.MessageToDict(
            message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
        ),
        descriptor,
    )
    got = codec.message_json(message)
    assert got == expected


def test_timestamps_print_as_json_format_prints_them_also_when_read_again() -> None:
    from google.protobuf.timestamp_pb2 import Timestamp

    from replicate_kit._transport import grpc_codec

    for seconds, nanos in [(0, 0), (1_700_000_000, 500_000_000), (1_700_000_000, 123), (-5, 7)]:
        stamp = Timestamp(seconds=seconds, nanos=nanos)
        for _ in range(2):  # the second read comes from the cache
            assert grpc_codec._timestamp_json(stamp) == stamp.ToJsonString()
