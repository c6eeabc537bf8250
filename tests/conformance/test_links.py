"""The spec's links let a stateful client reach every operation with ids it was given.

Each operation whose path names a resource is the target of a link, each link fills exactly the
path parameters of its target, and every `$response.body#/...` pointer exists in the response
schema it reads from (so schemathesis' stateful phase can follow it).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.mock.spec import METHODS, _resolve, spec


def _operations() -> dict[str, tuple[str, dict[str, Any], dict[str, Any]]]:
    found = {}
    for path, item in spec()["paths"].items():
        for method in METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                found[op["operationId"]] = (path, item, op)
    return found


OPERATIONS = _operations()


def _links() -> list[tuple[str, str, str, dict[str, Any]]]:
    """(source operation, status, link name, link) for every link offered by a response."""
    links = []
    for op_id, (_, _, op) in OPERATIONS.items():
        for status, response in op["responses"].items():
            for name, link in _resolve(response).get("links", {}).items():
                links.append((op_id, status, name, _resolve(link)))
    return links


LINKS = _links()


def _path_parameters(op_id: str) -> set[str]:
    path = OPERATIONS[op_id][0]
    return set(re.findall(r"\{([^}]+)\}", path))


def _has_pointer(schema: dict[str, Any], pointer: str) -> bool:
    node = _resolve(schema)
    for part in pointer.strip("/").split("/"):
        node = _resolve(node)
        variants = node.get("oneOf") or node.get("anyOf")
        if variants:
            node = next((_resolve(v) for v in variants if _resolve(v).get("type") != "null"), {})
        if node.get("type") == "array" and part.isdigit():
            node = node["items"]
        elif part in node.get("properties", {}):
            node = node["properties"][part]
        else:
            return False
    return True


@pytest.mark.parametrize("op_id", sorted(op for op in OPERATIONS if _path_parameters(op)), ids=str)
def test_every_operation_on_a_resource_is_reached_by_a_link(op_id: str) -> None:
    assert any(link["operationId"] == op_id for _, _, _, link in LINKS), op_id


@pytest.mark.parametrize(("source", "status", "name", "link"), LINKS, ids=[x[2] for x in LINKS])
def test_links_fill_the_target_path_and_read_existing_fields(
    source: str, status: str, name: str, link: dict[str, Any]
) -> None:
    target = link["operationId"]
    assert target in OPERATIONS, name
    assert set(link["parameters"]) == _path_parameters(target), name
    body = _resolve(OPERATIONS[source][2]["responses"][status])["content"]["application/json"]
    for expression in link["parameters"].values():
        if expression.startswith("$request.path."):
            assert expression.removeprefix("$request.path.") in _path_parameters(source), name
        else:
            pointer = expression.removeprefix("$response.body#")
            assert _has_pointer(body["schema"], pointer), (name, expression)
