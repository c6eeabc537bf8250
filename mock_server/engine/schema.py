"""Builders for Cog-style ``openapi_schema`` documents (what a version carries)."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

MISSING: Any = object()

_JSON_TYPES = {"string", "integer", "number", "boolean", "array", "object"}


@dataclass(frozen=True)
class Field:
    """One ``Input(...)`` parameter of a Cog predictor."""

    name: str
    type: str  # a JSON type, "uri" for cog.Path, or "any"
    default: Any = MISSING
    description: str | None = None
    ge: float | None = None
    le: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    choices: tuple[Any, ...] | None = None
    nullable: bool = False
    items: dict[str, Any] | None = None

    def required(self) -> bool:
        return self.default is MISSING and not self.nullable


def title_case(name: str) -> str:
    return " ".join(part.capitalize() for part in name.split("_"))


def _field_schema(field: Field, order: int, components: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any]
    if field.choices is not None:
        enum_type = "integer" if all(isinstance(c, int) for c in field.choices) else "string"
        components[field.name] = {
            "title": field.name,
            "description": "An enumeration.",
            "enum": list(field.choices),
            "type": enum_type,
        }
        schema = {"allOf": [{"$ref": f"#/components/schemas/{field.name}"}]}
    elif field.type == "any":
        schema = {"title": title_case(field.name)}
    elif field.type == "uri":
        schema = {"type": "string", "title": title_case(field.name), "format": "uri"}
    elif field.type in _JSON_TYPES:
        schema = {"type": field.type, "title": title_case(field.name)}
        if field.type == "array":
            schema["items"] = field.items or {"type": "string"}
    else:
        raise ValueError(f"unsupported input type {field.type!r} for {field.name!r}")
    if field.default is not MISSING:
        schema["default"] = field.default
    if field.description:
        schema["description"] = field.description
    if field.ge is not None:
        schema["minimum"] = field.ge
    if field.le is not None:
        schema["maximum"] = field.le
    if field.min_length is not None:
        schema["minLength"] = field.min_length
    if field.max_length is not None:
        schema["maxLength"] = field.max_length
    if field.nullable:
        schema["nullable"] = True
    schema["x-order"] = order
    return schema


def input_schema(fields: list[Field]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The ``Input`` component plus the enum components it references."""
    components: dict[str, Any] = {}
    properties = {f.name: _field_schema(f, i, components) for i, f in enumerate(fields)}
    schema: dict[str, Any] = {"type": "object", "title": "Input", "properties": properties}
    required = [f.name for f in fields if f.required()]
    if required:
        schema["required"] = required
    return schema, components


def string_output() -> dict[str, Any]:
    return {"type": "string", "title": "Output"}


def any_output() -> dict[str, Any]:
    return {"title": "Output"}


def files_output() -> dict[str, Any]:
    return {"type": "array", "items": {"type": "string", "format": "uri"}, "title": "Output"}


def token_stream_output() -> dict[str, Any]:
    return {
        "type": "array",
        "items": {"type": "string"},
        "title": "Output",
        "x-cog-array-type": "iterator",
        "x-cog-array-display": "concatenate",
    }


def is_iterator(output: dict[str, Any]) -> bool:
    return output.get("type") == "array" and output.get("x-cog-array-type") == "iterator"


def cog_document(
    input_component: dict[str, Any],
    output_component: dict[str, Any],
    extra_components: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A pydantic-era Cog OpenAPI document around the given Input/Output schemas."""
    schemas: dict[str, Any] = {
        "Input": copy.deepcopy(input_component),
        "Output": copy.deepcopy(output_component),
    }
    schemas.update(copy.deepcopy(extra_components or {}))
    schemas.update(
        {
            "Status": {
                "title": "Status",
                "description": "An enumeration.",
                "enum": ["starting", "processing", "succeeded", "canceled", "failed"],
                "type": "string",
            },
            "WebhookEvent": {
                "title": "WebhookEvent",
                "description": "An enumeration.",
                "enum": ["start", "output", "logs", "completed"],
                "type": "string",
            },
            "PredictionRequest": {
                "title": "PredictionRequest",
                "type": "object",
                "properties": {
                    "id": {"title": "Id", "type": "string"},
                    "input": {"$ref": "#/components/schemas/Input"},
                    "webhook": {"title": "Webhook", "type": "string", "format": "uri"},
                    "created_at": {"title": "Created At", "type": "string", "format": "date-time"},
                    "webhook_events_filter": {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/WebhookEvent"},
                        "default": ["start", "output", "logs", "completed"],
                    },
                },
            },
            "PredictionResponse": {
                "title": "PredictionResponse",
                "type": "object",
                "properties": {
                    "id": {"title": "Id", "type": "string"},
                    "input": {"$ref": "#/components/schemas/Input"},
                    "output": {"$ref": "#/components/schemas/Output"},
                    "status": {"$ref": "#/components/schemas/Status"},
                    "logs": {"title": "Logs", "type": "string", "default": ""},
                    "error": {"title": "Error", "type": "string"},
                    "metrics": {"title": "Metrics", "type": "object"},
                    "version": {"title": "Version", "type": "string"},
                    "created_at": {"title": "Created At", "type": "string", "format": "date-time"},
                    "started_at": {"title": "Started At", "type": "string", "format": "date-time"},
                    "completed_at": {
                        "title": "Completed At",
                        "type": "string",
                        "format": "date-time",
                    },
                },
            },
            "ValidationError": {
                "title": "ValidationError",
                "type": "object",
                "required": ["loc", "msg", "type"],
                "properties": {
                    "loc": {
                        "title": "Location",
                        "type": "array",
                        "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                    },
                    "msg": {"title": "Message", "type": "string"},
                    "type": {"title": "Error Type", "type": "string"},
                },
            },
            "HTTPValidationError": {
                "title": "HTTPValidationError",
                "type": "object",
                "properties": {
                    "detail": {
                        "title": "Detail",
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/ValidationError"},
                    }
                },
            },
        }
    )
    return {
        "openapi": "3.0.2",
        "info": {"title": "Cog", "version": "0.1.0"},
        "paths": {
            "/predictions": {
                "post": {
                    "summary": "Predict",
                    "operationId": "predict_predictions_post",
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/PredictionRequest"}
                            }
                        }
                    },
                    "responses": {
                        "200": {
                            "description": "Successful Response",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/PredictionResponse"}
                                }
                            },
                        },
                        "422": {
                            "description": "Validation Error",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/HTTPValidationError"}
                                }
                            },
                        },
                    },
                }
            }
        },
        "components": {"schemas": schemas},
    }
