"""JSON bodies to response messages and request messages to fields, by a per-type plan.

``json_format.ParseDict`` walks every value through generic descriptor lookups and was the
largest share of a unary RPC's Python time (12% of the mock's gRPC thread under GetPrediction
load, more than the operation itself). A plan, built once per message type, knows each field's
kind, so filling a message is one dict lookup and one typed write per value. It covers what
the mock's bodies hold; anything else (a value of an unexpected type, bytes, int64 strings, a
second member of a oneof) makes it give up, and the caller takes ``json_format`` with the same
input, so every result and every error stays what ``json_format`` gives (tests/grpc compares
both on the contract's bodies).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from google.protobuf import duration_pb2, timestamp_pb2
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

STATUS_ENUM = "replicate_kit.v1.PredictionStatus"
STATUS_PREFIX = "PREDICTION_STATUS_"


class GiveUp(Exception):
    """The plan does not cover this value: use json_format."""


# A field's writer: (message, field name, JSON value) -> None.
Writer = Callable[[Message, str, Any], None]

_STRING = FieldDescriptor.TYPE_STRING
_BOOL = FieldDescriptor.TYPE_BOOL
_INTS = {FieldDescriptor.TYPE_INT32, FieldDescriptor.TYPE_UINT32, FieldDescriptor.TYPE_SINT32}
_FLOATS = {FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT}


def _scalar_check(fd: FieldDescriptor) -> Callable[[Any], bool]:
    """Whether json_format would write the JSON value as is (the types it takes unconverted)."""
    if fd.type == _STRING:
        return lambda v: type(v) is str
    if fd.type == _BOOL:
        return lambda v: type(v) is bool
    if fd.type in _INTS:
        return lambda v: type(v) is int
    if fd.type in _FLOATS:
        return lambda v: type(v) is float or type(v) is int
    return lambda v: False  # int64 (JSON strings), bytes (base64), ...


@functools.cache
def _timestamp(text: str) -> timestamp_pb2.Timestamp:
    # The same few instants are read again and again (a prediction's created_at on every GET).
    stamp = timestamp_pb2.Timestamp()
    stamp.FromJsonString(text)
    return stamp


@functools.cache
def _duration(text: str) -> duration_pb2.Duration:
    span = duration_pb2.Duration()
    span.FromJsonString(text)
    return span


def _set_value(target: Any, value: Any) -> None:
    """A google.protobuf.Value from a JSON value, as json_format's _ConvertValueMessage."""
    if isinstance(value, dict):
        struct = target.struct_value
        struct.SetInParent()
        struct.update(value)
    elif isinstance(value, list):
        items = target.list_value
        items.SetInParent()
        items.extend(value)
    elif value is None:
        target.null_value = 0
    elif isinstance(value, bool):
        target.bool_value = value
    elif isinstance(value, str):
        target.string_value = value
    elif isinstance(value, (int, float)):
        target.number_value = value
    else:
        raise GiveUp


def _writer(fd: FieldDescriptor) -> Writer:
    message = fd.message_type
    repeated = fd.is_repeated
    if message is not None and message.GetOptions().map_entry:
        return _give_up
    if fd.enum_type is not None:
        return _enum_writer(fd)
    if message is None:
        check = _scalar_check(fd)
        if repeated:

            def write_list(msg: Message, name: str, value: Any) -> None:
                if type(value) is not list or not all(map(check, value)):
                    raise GiveUp
                getattr(msg, name).extend(value)

            return write_list

        def write_scalar(msg: Message, name: str, value: Any) -> None:
            if not check(value):
                raise GiveUp
            setattr(msg, name, value)

        return write_scalar
    if repeated:
        if not message.full_name.startswith("replicate_kit."):
            return _give_up

        def write_messages(msg: Message, name: str, value: Any) -> None:
            if type(value) is not list:
                raise GiveUp
            entries = getattr(msg, name)
            plan = message_plan(message)
            for item in value:
                fill(entries.add(), item, plan)

        return write_messages
    kind = message.full_name
    if kind == "google.protobuf.Timestamp":
        return _copy_writer(_timestamp)
    if kind == "google.protobuf.Duration":
        return _copy_writer(_duration)
    if kind == "google.protobuf.Struct":
        return _write_struct
    if kind == "google.protobuf.Value":
        return _write_value
    if kind.startswith("replicate_kit."):

        def write_message(msg: Message, name: str, value: Any) -> None:
            sub = getattr(msg, name)
            sub.SetInParent()
            fill(sub, value, message_plan(message))

        return write_message
    return _give_up


def _give_up(msg: Message, name: str, value: Any) -> None:
    raise GiveUp


def _copy_writer(parse: Callable[[str], Message]) -> Writer:
    def write(msg: Message, name: str, value: Any) -> None:
        if type(value) is not str:
            raise GiveUp
        getattr(msg, name).CopyFrom(parse(value))

    return write


def _write_struct(msg: Message, name: str, value: Any) -> None:
    if type(value) is not dict:
        raise GiveUp
    struct = getattr(msg, name)
    struct.SetInParent()
    struct.update(value)


def _write_value(msg: Message, name: str, value: Any) -> None:
    _set_value(getattr(msg, name), value)


def _enum_writer(fd: FieldDescriptor) -> Writer:
    enum = fd.enum_type
    assert enum is not None
    values = enum.values_by_name
    status = enum.full_name == STATUS_ENUM
    repeated = fd.is_repeated

    def write(msg: Message, name: str, value: Any) -> None:
        if repeated:
            raise GiveUp
        text = STATUS_PREFIX + str(value).upper() if status else value
        if type(text) is not str:
            raise GiveUp
        found = values.get(text)
        if found is not None:  # an unknown name is ignored (ignore_unknown_fields)
            setattr(msg, name, found.number)

    return write


#: Field name -> (writer, the field's oneof name or "", whether a JSON null is a value).
Plan = dict[str, tuple[Writer, str, bool]]


@functools.cache
def message_plan(descriptor: Descriptor) -> Plan:
    plan: Plan = {}
    for fd in descriptor.fields:
        message = fd.message_type
        null_is_value = message is not None and message.full_name == "google.protobuf.Value"
        oneof = fd.containing_oneof
        # A proto3 `optional` is a synthetic oneof of one field: nothing to clash with.
        clash = oneof.name if oneof is not None and len(oneof.fields) > 1 else ""
        plan[fd.name] = (_writer(fd), clash, null_is_value)
    return plan


def fill(message: Message, data: Any, plan: Plan) -> None:
    """Write the JSON object ``data`` into ``message`` (unknown keys and nulls left out)."""
    if type(data) is not dict:
        raise GiveUp
    for key, value in data.items():
        entry = plan.get(key)
        if entry is None:
            continue  # the HTTP body has more than the message: keep what the contract has
        write, oneof, null_is_value = entry
        if value is None and not null_is_value:
            continue
        if oneof and message.WhichOneof(oneof) is not None:
            raise GiveUp  # json_format refuses a second member of a oneof
        write(message, key, value)


# ------------------------------------------------------------------------------ requests
_FLAT = {_STRING, _BOOL, *_INTS}

#: Request message -> its fields as ``json_format.MessageToDict`` prints them with
#: ``always_print_fields_with_no_presence`` (set fields by number, then the unset ones).
Reader = Callable[[Message], dict[str, Any]]


@functools.cache
def request_reader(descriptor: Descriptor) -> Reader | None:
    """A reader for requests made only of single strings, bools and 32-bit ints; else None."""
    fields = list(descriptor.fields)
    if any(fd.is_repeated or fd.type not in _FLAT for fd in fields):
        return None
    by_number = sorted(fields, key=lambda fd: fd.number)
    first = [(fd.name, fd.has_presence) for fd in by_number]
    defaults = [(fd.name, fd.default_value) for fd in fields if not fd.has_presence]

    def read(request: Message) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, presence in first:
            if presence:
                if request.HasField(name):
                    out[name] = getattr(request, name)
            else:
                value = getattr(request, name)
                if value:
                    out[name] = value
        for name, default in defaults:
            if name not in out:
                out[name] = default
        return out

    return read
