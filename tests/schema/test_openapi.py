"""The HTTP contract (openapi/replicate.openapi.yaml) is valid, matches the public spec, and keeps
the wire facts the facade, the mock and the generators depend on."""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from openapi_spec_validator import validate

ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = ROOT / "openapi" / "replicate.openapi.yaml"
REFERENCE_NAME = "reference/replicate-openapi.reference.yaml"

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
TAGS = {
    "account",
    "collections",
    "deployments",
    "files",
    "hardware",
    "models",
    "predictions",
    "search",
    "trainings",
    "webhooks",
}
CREATE_PREDICTION_OPS = {
    "predictions.create",
    "models.predictions.create",
    "deployments.predictions.create",
}

Doc = dict[str, Any]


@cache
def _load(path: Path) -> Doc:
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    assert isinstance(data, dict)
    return data


def spec() -> Doc:
    return _load(SPEC_PATH)


def _reference_path() -> Path:
    shared = os.environ.get("REPLICATE_KIT_SHARED")
    base = Path(shared) if shared else Path(__file__).resolve().parents[3] / "shared"
    return base / REFERENCE_NAME


def reference() -> Doc:
    path = _reference_path()
    if not path.is_file():
        pytest.skip(
            f"public reference spec not found at {path} (set REPLICATE_KIT_SHARED to the shared/ folder)"
        )
    return _load(path)


def operations(doc: Doc) -> Iterator[tuple[str, str, Doc]]:
    """(method, path, operation) for every operation under `paths`."""
    for path, item in doc["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                yield method, path, item[method]


def ops_by_id(doc: Doc) -> dict[str, tuple[str, str, Doc]]:
    return {op["operationId"]: (method, path, op) for method, path, op in operations(doc)}


def resolve(doc: Doc, node: Any) -> Any:
    """Follow local `$ref`s until a concrete object is reached."""
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), ref
        target: Any = doc
        for part in ref[2:].split("/"):
            target = target[part]
        node = target
    return node


def params_of(doc: Doc, path: str, op: Doc) -> list[Doc]:
    item = doc["paths"][path]
    raw = [*item.get("parameters", []), *op.get("parameters", [])]
    return [resolve(doc, p) for p in raw]


def normalize_path(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def success_statuses(op: Doc) -> set[str]:
    return {str(code) for code in op["responses"] if str(code).startswith("2")}


def schema_validator(doc: Doc, name: str) -> jsonschema.Draft202012Validator:
    """A JSON Schema 2020-12 validator (OpenAPI 3.1's dialect) for one component schema."""
    root = {"$ref": f"#/components/schemas/{name}", "components": doc["components"]}
    return jsonschema.Draft202012Validator(root)


# --- 1. validity -------------------------------------------------------------------------------


def test_spec_is_valid_openapi() -> None:
    validate(copy.deepcopy(spec()))


def test_spec_targets_the_public_server() -> None:
    doc = spec()
    assert doc["openapi"].startswith("3.1")
    assert [s["url"] for s in doc["servers"]] == ["https://api.replicate.com/v1"]
    assert doc["security"] == [{"bearerAuth": []}]


def test_query_extension_is_a_valid_operation_object() -> None:
    # Generators and validators skip `x-query`; transplant it to a real method so it gets checked.
    doc = copy.deepcopy(spec())
    query_op = doc["paths"]["/models"]["x-query"]
    doc["paths"]["/__x_query_check"] = {"post": query_op}
    validate(doc)
    assert query_op["operationId"] == "models.search"
    body = query_op["requestBody"]
    assert body["required"] is True
    assert list(body["content"]) == ["text/plain"]
    ok = query_op["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/ModelPage"}


# --- 2. conformance with the public reference ----------------------------------------------------


def test_every_reference_operation_has_a_counterpart() -> None:
    ref = reference()
    ours = {(m, normalize_path(p)): (p, op) for m, p, op in operations(spec())}
    missing: list[str] = []
    mismatched: list[str] = []
    for method, path, ref_op in operations(ref):
        key = (method, normalize_path(path))
        if key not in ours:
            missing.append(f"{method.upper()} {path}")
            continue
        _, our_op = ours[key]
        if our_op["operationId"] != ref_op["operationId"]:
            mismatched.append(f"{ref_op['operationId']}: operationId {our_op['operationId']}")
        if success_statuses(our_op) != success_statuses(ref_op):
            mismatched.append(
                f"{ref_op['operationId']}: 2xx {sorted(success_statuses(our_op))}"
                f" != {sorted(success_statuses(ref_op))}"
            )
    assert not missing, f"operations missing from our spec: {missing}"
    assert not mismatched, mismatched


def test_query_and_header_parameters_match_the_reference() -> None:
    ref, ours = reference(), spec()
    our_ops = ops_by_id(ours)
    problems: list[str] = []
    for _, ref_path, ref_op in operations(ref):
        _, our_path, our_op = our_ops[ref_op["operationId"]]
        for location in ("query", "header"):
            ref_names = {
                p["name"].lower(): p.get("required", False)
                for p in params_of(ref, ref_path, ref_op)
                if p["in"] == location
            }
            our_names = {
                p["name"].lower(): p.get("required", False)
                for p in params_of(ours, our_path, our_op)
                if p["in"] == location
            }
            for name, required in ref_names.items():
                if name not in our_names:
                    problems.append(f"{ref_op['operationId']}: {location} {name} missing")
                elif our_names[name] != required:
                    problems.append(f"{ref_op['operationId']}: {location} {name} required differs")
    assert not problems, problems


def _json_body_schema(doc: Doc, op: Doc) -> Doc | None:
    body = resolve(doc, op.get("requestBody"))
    if not body:
        return None
    media = body["content"].get("application/json") or body["content"].get("multipart/form-data")
    return resolve(doc, media["schema"]) if media else None


def test_request_bodies_require_what_the_reference_requires() -> None:
    ref, ours = reference(), spec()
    our_ops = ops_by_id(ours)
    problems: list[str] = []
    for _, _, ref_op in operations(ref):
        ref_schema = _json_body_schema(ref, ref_op)
        if ref_schema is None:
            continue
        our_schema = _json_body_schema(ours, our_ops[ref_op["operationId"]][2])
        assert our_schema is not None, ref_op["operationId"]
        if set(ref_schema.get("required", [])) != set(our_schema.get("required", [])):
            problems.append(f"{ref_op['operationId']}: required fields differ")
        missing = set(ref_schema.get("properties", {})) - set(our_schema.get("properties", {}))
        if missing:
            problems.append(f"{ref_op['operationId']}: properties missing {sorted(missing)}")
    assert not problems, problems


def test_reference_examples_validate_against_our_schemas() -> None:
    ref, ours = reference(), spec()
    our_ops = ops_by_id(ours)
    checked = 0
    for _, _, ref_op in operations(ref):
        for status, response in ref_op["responses"].items():
            media = (resolve(ref, response).get("content") or {}).get("application/json") or {}
            if "example" not in media or not str(status).startswith("2"):
                continue
            our_response = resolve(ours, our_ops[ref_op["operationId"]][2]["responses"][status])
            schema_ref = our_response["content"]["application/json"]["schema"]["$ref"]
            schema_validator(ours, schema_ref.rsplit("/", 1)[1]).validate(media["example"])
            checked += 1
    assert checked >= 1


# --- 3. wire facts that must not regress ---------------------------------------------------------


def test_operation_ids_are_unique_and_tagged_by_resource() -> None:
    ids: list[str] = []
    all_ops = [op for _, _, op in operations(spec())]
    all_ops += [item["post"] for item in spec()["webhooks"].values()]
    for op in all_ops:
        ids.append(op["operationId"])
        assert len(op["tags"]) == 1, op["operationId"]
        # The stub generator names modules `<tag>/<operationId with dots as underscores>`.
        assert op["tags"][0] == op["operationId"].split(".")[0], op["operationId"]
    assert len(ids) == len(set(ids))
    assert {t["name"] for t in spec()["tags"]} == TAGS


def test_error_responses_use_problem_json() -> None:
    doc = spec()
    offenders: list[str] = []
    seen = 0
    for _, _, op in operations(doc):
        for status, response in op["responses"].items():
            if int(status) < 400:
                continue
            seen += 1
            content = resolve(doc, response).get("content", {})
            media = content.get("application/problem+json") or {}
            if list(content) != ["application/problem+json"] or media.get("schema") != {
                "$ref": "#/components/schemas/Problem"
            }:
                offenders.append(f"{op['operationId']} {status}")
    assert seen > 40
    assert not offenders, offenders


def test_problem_schema_has_the_documented_members() -> None:
    problem = spec()["components"]["schemas"]["Problem"]
    assert set(problem["properties"]) >= {
        "title",
        "detail",
        "status",
        "type",
        "instance",
        "invalid_fields",
    }
    field = resolve(spec(), problem["properties"]["invalid_fields"]["items"])
    assert set(field["properties"]) == {"type", "field", "description"}
    validator = schema_validator(spec(), "Problem")
    validator.validate(
        {
            "title": "Input validation failed",
            "detail": "- input: prompt is required\n",
            "status": 422,
            "invalid_fields": [
                {"type": "required", "field": "input", "description": "prompt is required"}
            ],
        }
    )
    validator.validate({"detail": "Not found.", "status": 404})


@pytest.mark.parametrize(
    ("operation_id", "status"),
    [
        ("files.create", "413"),
        ("search", "400"),
        ("search", "500"),
        ("predictions.create", "422"),
        ("predictions.get", "404"),
        ("account.get", "401"),
    ],
)
def test_documented_error_statuses(operation_id: str, status: str) -> None:
    assert status in ops_by_id(spec())[operation_id][2]["responses"]


def test_every_operation_documents_401_and_429_where_auth_applies() -> None:
    doc = spec()
    for _, _, op in operations(doc):
        assert "429" in op["responses"], op["operationId"]
        security = op["security"] if "security" in op else doc["security"]
        if {} not in security:
            assert "401" in op["responses"], op["operationId"]


def test_rate_limit_responses_carry_retry_after() -> None:
    doc = spec()
    for _, _, op in operations(doc):
        too_many = resolve(doc, op["responses"]["429"])
        assert {"Retry-After", "ratelimit-remaining", "ratelimit-reset"} <= set(too_many["headers"])


def test_create_prediction_operations_take_prefer_and_cancel_after() -> None:
    doc = spec()
    by_id = ops_by_id(doc)
    for operation_id in CREATE_PREDICTION_OPS:
        _, path, op = by_id[operation_id]
        headers = {p["name"] for p in params_of(doc, path, op) if p["in"] == "header"}
        assert {"Prefer", "Cancel-After"} <= headers, operation_id
        for status in success_statuses(op):
            response = resolve(doc, op["responses"][status])
            assert "Preference-Applied" in response["headers"], (operation_id, status)
            schema = response["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Prediction"}
    others = [
        op["operationId"]
        for _, path, op in operations(doc)
        if op["operationId"] not in CREATE_PREDICTION_OPS
        and any(p["name"] in {"Prefer", "Cancel-After"} for p in params_of(doc, path, op))
    ]
    assert others == []


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("wait", True),
        ("wait=1", True),
        ("wait=9", True),
        ("wait=10", True),
        ("wait=59", True),
        ("wait=60", True),
        ("wait=0", False),
        ("wait=61", False),
        ("wait=99", False),
        ("wait=", False),
        ("respond-async", False),
        ("wait=5s", False),
    ],
)
def test_prefer_pattern(value: str, ok: bool) -> None:
    pattern = spec()["components"]["parameters"]["Prefer"]["schema"]["pattern"]
    assert (re.search(pattern, value) is not None) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("30s", True),
        ("5m", True),
        ("2h", True),
        ("1h30m45s", True),
        ("1h45s", True),
        ("300", True),
        ("", False),
        ("s", False),
        ("5x", False),
        ("30s5m", False),
        ("-5s", False),
        ("5 m", False),
    ],
)
def test_cancel_after_pattern(value: str, ok: bool) -> None:
    schema = spec()["components"]["parameters"]["CancelAfter"]["schema"]
    matches = re.search(schema["pattern"], value) is not None and len(value) >= schema["minLength"]
    assert matches is ok


def test_status_enum_includes_aborted() -> None:
    doc = spec()
    status = doc["components"]["schemas"]["PredictionStatus"]
    assert status["enum"] == [
        "starting",
        "processing",
        "succeeded",
        "failed",
        "canceled",
        "aborted",
    ]
    for name in ("Prediction", "Training"):
        ref = doc["components"]["schemas"][name]["properties"]["status"]
        assert ref == {"$ref": "#/components/schemas/PredictionStatus"}


def test_request_bodies_are_required_and_closed() -> None:
    doc = spec()
    bodies = 0
    for _, _, op in [*operations(doc), ("query", "/models", doc["paths"]["/models"]["x-query"])]:
        if "requestBody" not in op:
            continue
        body = resolve(doc, op["requestBody"])
        assert body["required"] is True, op["operationId"]
        for media_type, media in body["content"].items():
            if media_type == "text/plain":
                continue
            bodies += 1
            schema = resolve(doc, media["schema"])
            assert schema["additionalProperties"] is False, op["operationId"]
    assert bodies == 9


def test_prediction_requests_route_the_version_correctly() -> None:
    doc = spec()
    with_version = schema_validator(doc, "VersionPredictionRequest")
    without_version = schema_validator(doc, "PredictionRequest")
    version = "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"
    with_version.validate({"version": version, "input": {"prompt": "hi"}})
    with_version.validate(
        {
            "version": f"owner/name:{version}",
            "input": {},
            "webhook": "https://example.com/hook",
            "webhook_events_filter": ["start", "completed"],
        }
    )
    assert not with_version.is_valid({"input": {}})
    assert not with_version.is_valid({"version": version})
    assert not with_version.is_valid({"version": version, "input": {}, "surprise": 1})
    assert not with_version.is_valid(
        {"version": version, "input": {}, "webhook_events_filter": ["succeeded"]}
    )
    without_version.validate({"input": {"prompt": "hi"}, "stream": True})
    assert not without_version.is_valid({"input": {}, "version": version})


def _prediction(**overrides: Any) -> Doc:
    base: Doc = {
        "id": "gm3qorzdhgbfurvjtvhg6dckhu",
        "model": "replicate/hello-world",
        "version": "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa",
        "input": {"text": "Alice"},
        "output": None,
        "logs": "",
        "error": None,
        "status": "starting",
        "data_removed": False,
        "created_at": "2023-08-16T18:57:08.36078514Z",
        "started_at": None,
        "completed_at": None,
        "urls": {
            "get": "https://api.replicate.com/v1/predictions/gm3qorzdhgbfurvjtvhg6dckhu",
            "cancel": "https://api.replicate.com/v1/predictions/gm3qorzdhgbfurvjtvhg6dckhu/cancel",
        },
    }
    base.update(overrides)
    return base


def test_prediction_schema_accepts_real_world_shapes() -> None:
    validator = schema_validator(spec(), "Prediction")
    validator.validate(_prediction())
    validator.validate(_prediction(version="hidden", model="replicate-internal/some-llm"))
    validator.validate(_prediction(version="dp-a557b7"))
    validator.validate(
        _prediction(
            status="succeeded",
            output=["data:image/png;base64,iVBORw0KGgo="],
            logs=None,
            metrics={"predict_time": 0.128148, "total_time": 0.175128},
            deadline="2024-10-04T18:14:29.957Z",
            deployment="acme/my-deployment",
            source="api",
        )
    )
    validator.validate(_prediction(status="aborted"))
    assert not validator.is_valid(_prediction(status="completed"))
    for field in ("id", "model", "version", "input", "output", "data_removed", "error", "status"):
        broken = _prediction()
        del broken[field]
        assert not validator.is_valid(broken), field


def test_prediction_required_fields_and_urls() -> None:
    prediction = spec()["components"]["schemas"]["Prediction"]
    assert set(prediction["required"]) == {
        "id",
        "model",
        "version",
        "input",
        "output",
        "logs",
        "data_removed",
        "error",
        "status",
        "created_at",
        "started_at",
        "completed_at",
        "urls",
    }
    # Version ids may be hex, "hidden" or other opaque strings: no enum, no pattern.
    assert prediction["properties"]["version"]["type"] == "string"
    assert not {"enum", "pattern", "oneOf"} & set(prediction["properties"]["version"])
    urls = resolve(spec(), prediction["properties"]["urls"])
    assert set(urls["properties"]) == {"get", "cancel", "web", "stream"}
    metrics = resolve(spec(), prediction["properties"]["metrics"])
    assert set(metrics["properties"]) == {"predict_time", "total_time"}


def test_list_operations_return_cursor_pages() -> None:
    doc = spec()
    lists = [
        (path, op)
        for method, path, op in operations(doc)
        if op["operationId"].endswith(".list") and op["operationId"] != "hardware.list"
    ]
    assert len(lists) == 8
    for path, op in lists:
        names = {p["name"] for p in params_of(doc, path, op)}
        assert "cursor" in names, op["operationId"]
        schema = resolve(doc, op["responses"]["200"]["content"]["application/json"]["schema"])
        assert set(schema["required"]) == {"next", "previous", "results"}, op["operationId"]
        for key in ("next", "previous"):
            assert schema["properties"][key]["type"] == ["string", "null"]
        assert schema["properties"]["results"]["type"] == "array"


def test_hardware_list_is_a_bare_array() -> None:
    _, _, op = ops_by_id(spec())["hardware.list"]
    schema = op["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["type"] == "array"
    schema_validator(spec(), "Hardware").validate({"name": "Nvidia T4 GPU", "sku": "gpu-t4"})


def test_file_schema_includes_observed_fields() -> None:
    validator = schema_validator(spec(), "FileObject")
    file_obj = {
        "id": "cneqzikepnug6xezperrr4z55o",
        "name": "photo.png",
        "content_type": "image/png",
        "size": 10,
        "etag": "0123456789abcdef0123456789abcdef",
        "checksums": {"sha256": "ab" * 32, "md5": "0123456789abcdef0123456789abcdef"},
        "metadata": {},
        "created_at": "2024-08-22T12:26:51.079Z",
        "expires_at": "2024-08-23T12:26:51.079Z",
        "urls": {"get": "https://api.replicate.com/v1/files/cneqzikepnug6xezperrr4z55o"},
    }
    validator.validate(file_obj)
    assert not validator.is_valid({k: v for k, v in file_obj.items() if k != "urls"})


def test_version_request_and_status_codes_of_deletes() -> None:
    by_id = ops_by_id(spec())
    assert success_statuses(by_id["models.versions.delete"][2]) == {"202"}
    for operation_id in ("models.delete", "deployments.delete", "files.delete"):
        assert success_statuses(by_id[operation_id][2]) == {"204"}, operation_id
    assert success_statuses(by_id["deployments.create"][2]) == {"200"}
    assert success_statuses(by_id["models.create"][2]) == {"201"}
    assert success_statuses(by_id["models.predictions.create"][2]) == {"200", "201", "202"}
    assert success_statuses(by_id["models.readme.get"][2]) == {"200"}
    readme = by_id["models.readme.get"][2]["responses"]["200"]["content"]
    assert list(readme) == ["text/plain"]


def test_sse_stream_is_documented() -> None:
    doc = spec()
    method, path, op = ops_by_id(doc)["predictions.stream"]
    assert (method, path) == ("get", "/predictions/{prediction_id}/stream")
    assert op["x-replicate-kit-extension"] is True
    assert {} in op["security"]
    assert list(op["responses"]["200"]["content"]) == ["text/event-stream"]
    assert "Last-Event-ID" in {p["name"] for p in params_of(doc, path, op)}
    stream = resolve(doc, op["responses"]["200"]["content"]["text/event-stream"]["schema"])
    events = {
        resolve(doc, v)["properties"]["event"]["const"]: resolve(doc, v)["properties"]["data"]
        for v in stream["oneOf"]
    }
    assert set(events) == {"output", "logs", "error", "done"}
    assert events["done"]["contentMediaType"] == "application/json"
    done = resolve(doc, events["done"]["contentSchema"])
    assert done["properties"]["reason"]["enum"] == ["canceled", "error"]
    validator = schema_validator(doc, "StreamDoneData")
    validator.validate({})
    validator.validate({"reason": "canceled"})
    assert not validator.is_valid({"reason": "finished"})


def test_webhook_payloads_are_signed_predictions_and_trainings() -> None:
    doc = spec()
    expected = {"prediction": "Prediction", "training": "Training"}
    assert set(doc["webhooks"]) == set(expected)
    for name, schema_name in expected.items():
        op = doc["webhooks"][name]["post"]
        headers = {p["name"]: p["required"] for p in (resolve(doc, x) for x in op["parameters"])}
        assert headers == {"webhook-id": True, "webhook-timestamp": True, "webhook-signature": True}
        body = op["requestBody"]["content"]["application/json"]["schema"]
        assert body == {"$ref": f"#/components/schemas/{schema_name}"}


def test_search_results_shape() -> None:
    schema_validator(spec(), "SearchResults").validate(
        {
            "query": "upscale",
            "models": [
                {
                    "model": {"owner": "acme", "name": "upscaler", "description": None},
                    "metadata": {"generated_description": None, "score": 0.5, "tags": ["image"]},
                }
            ],
            "collections": [
                {"name": "Upscalers", "slug": "upscalers", "description": "x", "models": None}
            ],
            "pages": [{"name": "Docs", "href": "/docs"}],
        }
    )


def _schemas_in(node: Any) -> Iterator[Doc]:
    if isinstance(node, dict):
        if node.get("type") == "object" or "properties" in node:
            yield node
        for value in node.values():
            yield from _schemas_in(value)
    elif isinstance(node, list):
        for value in node:
            yield from _schemas_in(value)


def test_free_form_objects_say_so() -> None:
    # openapi-typescript turns a property-less object into Record<string, never> unless the
    # schema allows additional properties explicitly.
    doc = spec()
    free_form = [s for s in _schemas_in(doc["components"]["schemas"]) if s.get("type") == "object"]
    offenders = [
        s.get("description", "?")
        for s in free_form
        if not s.get("properties") and s.get("additionalProperties") is not True
    ]
    assert len(free_form) > 30
    assert not offenders, offenders
