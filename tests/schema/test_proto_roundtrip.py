"""HTTP JSON bodies survive a trip through the proto messages.

The rules a converter between the two needs (and that these tests pin down):
- proto3 JSON with preserved field names is the HTTP body, except that
- the status enum prints as `PREDICTION_STATUS_<STATE>` for the HTTP string `<state>`,
- int64 fields (`size`, `run_count`) print as strings,
- an unset `optional` field or message field is a JSON null (or an absent key),
- numbers inside Struct/Value come back as floats (3 -> 3.0, which compares equal in Python).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, cast

import jsonschema
import pytest
import yaml
from google.protobuf import json_format
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message
from replicate_kit_grpc.v1 import (
    account_pb2,
    collections_pb2,
    common_pb2,
    deployments_pb2,
    files_pb2,
    models_pb2,
    predictions_pb2,
    trainings_pb2,
)

ROOT = Path(__file__).resolve().parents[2]
SPEC: dict[str, Any] = yaml.safe_load((ROOT / "openapi" / "replicate.openapi.yaml").read_text())
STATUS_PREFIX = "PREDICTION_STATUS_"
PREDICTION_ID = "gm3qorzdhgbfurvjtvhg6dckhu"
VERSION_ID = "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"
API = "https://api.replicate.com/v1"

# Timestamps use microsecond precision with a `Z`: the form Timestamp prints back unchanged.
FULL_PREDICTION: dict[str, Any] = {
    "id": PREDICTION_ID,
    "model": "acme/hello-world",
    "version": VERSION_ID,
    "input": {"text": "Alice", "steps": 3, "scale": 7.5, "tags": ["a", "b"], "nested": {"x": None}},
    "output": ["hello ", "Alice", {"url": "https://replicate.delivery/x.png", "score": 0.25}],
    "logs": "step 1\nstep 2\n",
    "error": "CUDA out of memory",
    "status": "failed",
    "source": "api",
    "data_removed": False,
    "created_at": "2024-10-04T18:13:29.957123Z",
    "started_at": "2024-10-04T18:13:30.000001Z",
    "completed_at": "2024-10-04T18:13:31.500123Z",
    "deadline": "2024-10-04T18:14:29.957123Z",
    "deployment": "acme/hello-prod",
    "metrics": {"predict_time": 1.25, "total_time": 1.5, "tokens": 12},
    "urls": {
        "get": f"{API}/predictions/{PREDICTION_ID}",
        "cancel": f"{API}/predictions/{PREDICTION_ID}/cancel",
        "web": f"https://replicate.com/p/{PREDICTION_ID}",
        "stream": f"https://stream.replicate.com/v1/predictions/{PREDICTION_ID}",
    },
    "webhook": "https://example.com/hook",
    "webhook_events_filter": ["start", "completed"],
}

FULL_VERSION: dict[str, Any] = {
    "id": VERSION_ID,
    "created_at": "2024-01-02T03:04:05.123456Z",
    "cog_version": "0.9.9",
    "openapi_schema": {
        "openapi": "3.0.2",
        "components": {"schemas": {"Input": {"type": "object", "required": ["text"]}}},
    },
}

FULL_MODEL: dict[str, Any] = {
    "url": "https://replicate.com/acme/hello-world",
    "owner": "acme",
    "name": "hello-world",
    "description": "Says hello",
    "visibility": "public",
    "github_url": "https://github.com/acme/hello",
    "paper_url": "https://arxiv.org/abs/1234.5678",
    "license_url": "https://example.com/license",
    "cover_image_url": "https://replicate.delivery/cover.png",
    "run_count": 12345678901,
    "is_official": True,
    "created_at": "2023-08-16T18:57:08.360785Z",
    "default_example": FULL_PREDICTION,
    "latest_version": FULL_VERSION,
}

FULL_TRAINING: dict[str, Any] = {
    "id": "zz4ibbonubfz7carwiefibzgga",
    "model": "acme/base",
    "version": VERSION_ID,
    "input": {"train_data": "https://example.com/data.zip", "epochs": 2},
    "output": {"version": "acme/tuned:" + "a" * 64, "weights": "https://replicate.delivery/w.tar"},
    "logs": "epoch 1\n",
    "error": "diverged",
    "status": "canceled",
    "source": "web",
    "created_at": "2024-02-01T00:00:00.100001Z",
    "started_at": "2024-02-01T00:00:01.200002Z",
    "completed_at": "2024-02-01T00:10:00.300003Z",
    "metrics": {"predict_time": 598.5, "total_time": 600.25},
    "urls": {
        "get": f"{API}/trainings/zz4ibbonubfz7carwiefibzgga",
        "cancel": f"{API}/trainings/zz4ibbonubfz7carwiefibzgga/cancel",
        "web": "https://replicate.com/p/zz4ibbonubfz7carwiefibzgga",
    },
}

FULL_ACCOUNT: dict[str, Any] = {
    "type": "organization",
    "username": "acme",
    "name": "Acme Inc.",
    "github_url": "https://github.com/acme",
    "avatar_url": "https://example.com/acme.png",
}

FULL_DEPLOYMENT: dict[str, Any] = {
    "owner": "acme",
    "name": "hello-prod",
    "current_release": {
        "number": 3,
        "model": "acme/hello-world",
        "version": VERSION_ID,
        "created_at": "2024-03-01T10:00:00.500005Z",
        "created_by": FULL_ACCOUNT,
        "configuration": {"hardware": "gpu-t4", "min_instances": 1, "max_instances": 5},
    },
}

FULL_FILE: dict[str, Any] = {
    "id": "cneqzikepnug6xezperrr4z55o",
    "name": "photo.png",
    "content_type": "image/png",
    "size": 69420,
    "etag": "d41d8cd98f00b204e9800998ecf8427e",
    "checksums": {
        "sha256": "f047f8e745f9996c6e386064e06cb2007b8e6bc0a968a334fc0d2b2d64012066",
        "md5": "d41d8cd98f00b204e9800998ecf8427e",
    },
    "metadata": {"customer_reference_id": 123, "labels": ["x"]},
    "created_at": "2024-02-21T12:54:18.578761Z",
    "expires_at": "2024-02-22T12:54:18.578761Z",
    "urls": {"get": f"{API}/files/cneqzikepnug6xezperrr4z55o"},
}

FULL_COLLECTION: dict[str, Any] = {
    "name": "Text to image",
    "slug": "text-to-image",
    "description": "Make images from words",
    "full_description": "# Text to image\nLong form.",
    "models": [FULL_MODEL],
}

# (OpenAPI schema, message class, full HTTP body)
CASES: list[tuple[str, type[Message], dict[str, Any]]] = [
    ("Prediction", predictions_pb2.Prediction, FULL_PREDICTION),
    ("Training", trainings_pb2.Training, FULL_TRAINING),
    ("Model", models_pb2.Model, FULL_MODEL),
    ("ModelVersion", models_pb2.Version, FULL_VERSION),
    ("Account", account_pb2.Account, FULL_ACCOUNT),
    ("Deployment", deployments_pb2.Deployment, FULL_DEPLOYMENT),
    ("FileObject", files_pb2.File, FULL_FILE),
    ("Collection", collections_pb2.Collection, FULL_COLLECTION),
]


def _schema(name: str) -> dict[str, Any]:
    # The spec's components ride along so $refs inside the schema resolve.
    return {**SPEC["components"]["schemas"][name], "components": SPEC["components"]}


def _descriptor(message_class: type[Message]) -> Descriptor:
    return cast(Descriptor, message_class.DESCRIPTOR)


def _map_status(body: Any, descriptor: Descriptor, to_proto: bool) -> Any:
    """Rewrite the status strings of `body` (shaped like `descriptor`) in place."""
    if not isinstance(body, dict):
        return body
    for field in descriptor.fields:
        if field.name not in body or body[field.name] is None:
            continue
        value = body[field.name]
        if field.enum_type is not None and field.enum_type.name == "PredictionStatus":
            body[field.name] = (
                STATUS_PREFIX + value.upper()
                if to_proto
                else value.removeprefix(STATUS_PREFIX).lower()
            )
        elif field.type == FieldDescriptor.TYPE_INT64 and not to_proto:
            body[field.name] = int(value)
        elif field.message_type is not None and field.message_type.full_name.startswith(
            "replicate_kit.v1."
        ):
            items = value if field.is_repeated else [value]
            for item in items:
                _map_status(item, field.message_type, to_proto)
    return body


def to_proto(body: dict[str, Any], message_class: type[Message]) -> Message:
    proto_json = _map_status(copy.deepcopy(body), _descriptor(message_class), to_proto=True)
    return json_format.ParseDict(proto_json, message_class(), ignore_unknown_fields=False)


def to_http(message: Message) -> dict[str, Any]:
    proto_json = json_format.MessageToDict(
        message,
        preserving_proto_field_name=True,
        always_print_fields_with_no_presence=True,
    )
    result: dict[str, Any] = _map_status(proto_json, _descriptor(type(message)), to_proto=False)
    return result


@pytest.mark.parametrize(("schema", "message_class", "body"), CASES, ids=[c[0] for c in CASES])
def test_full_http_body_is_valid_and_complete(
    schema: str, message_class: type[Message], body: dict[str, Any]
) -> None:
    # Guards the fixtures: each one is a real HTTP body that uses every property of its schema.
    jsonschema.validate(body, _schema(schema))
    assert set(body) == set(SPEC["components"]["schemas"][schema]["properties"])


@pytest.mark.parametrize(("schema", "message_class", "body"), CASES, ids=[c[0] for c in CASES])
def test_full_http_body_round_trips_through_proto(
    schema: str, message_class: type[Message], body: dict[str, Any]
) -> None:
    back = to_http(to_proto(body, message_class))
    assert back == body
    for key in body:
        assert back[key] == body[key], key


def test_prediction_round_trip_keeps_each_field_exactly() -> None:
    message = to_proto(FULL_PREDICTION, predictions_pb2.Prediction)
    assert isinstance(message, predictions_pb2.Prediction)
    assert message.status == common_pb2.PREDICTION_STATUS_FAILED
    assert message.created_at.ToJsonString() == FULL_PREDICTION["created_at"]
    assert message.HasField("deadline")
    assert message.error == "CUDA out of memory"
    assert list(message.webhook_events_filter) == ["start", "completed"]
    back = to_http(message)
    # Struct numbers are doubles on the wire: ints come back as equal floats.
    assert back["input"]["steps"] == 3
    assert isinstance(back["input"]["steps"], float)
    assert back["metrics"] == {"predict_time": 1.25, "total_time": 1.5, "tokens": 12}


def test_int64_fields_print_as_strings_in_proto_json() -> None:
    message = to_proto(FULL_FILE, files_pb2.File)
    raw = json_format.MessageToDict(message, preserving_proto_field_name=True)
    assert raw["size"] == "69420"
    assert to_http(message)["size"] == 69420


def test_nulls_become_unset_fields_and_come_back_absent() -> None:
    starting = {
        **FULL_PREDICTION,
        "status": "starting",
        "output": None,
        "error": None,
        "logs": None,
        "started_at": None,
        "completed_at": None,
        "metrics": {},
    }
    jsonschema.validate(starting, _schema("Prediction"))
    message = to_proto(starting, predictions_pb2.Prediction)
    assert isinstance(message, predictions_pb2.Prediction)
    assert not message.HasField("error")
    assert not message.HasField("logs")
    assert not message.HasField("started_at")
    # A JSON null output is an explicit Value(null): it is set, and prints back as null.
    assert message.HasField("output")
    back = to_http(message)
    assert back["output"] is None
    for key in ("error", "logs", "started_at", "completed_at"):
        assert key not in back
    restored = {key: back.get(key) for key in starting}
    assert restored == starting


def test_unknown_http_fields_are_rejected_not_dropped() -> None:
    with pytest.raises(json_format.ParseError, match="no_such_field"):
        to_proto({**FULL_PREDICTION, "no_such_field": 1}, predictions_pb2.Prediction)


def test_status_strings_map_to_enum_values_both_ways() -> None:
    for state in SPEC["components"]["schemas"]["PredictionStatus"]["enum"]:
        body = {**FULL_PREDICTION, "status": state}
        message = to_proto(body, predictions_pb2.Prediction)
        assert isinstance(message, predictions_pb2.Prediction)
        assert message.status != 0
        assert to_http(message)["status"] == state
