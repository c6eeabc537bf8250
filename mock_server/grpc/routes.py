"""Which HTTP operation each RPC runs: the gRPC adapter runs that operation's route.

Read from the generated operation table, whose RPC column comes from the ``google.api.http``
annotations in ``proto/replicate_kit/v1``: the proto is the one place a route is written. Request
fields named by the binding fill the path; the other fields become query parameters (GET, DELETE)
or the body (POST, PATCH), except the few that travel as headers or under another name (see
``convert``). An RPC with several bindings (``CreatePrediction``) has one route per binding.
"""

from __future__ import annotations

from dataclasses import dataclass

from replicate_api_table import BASE_PATH, OPERATIONS

PACKAGE = "replicate_kit.v1"


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # template with {parameter} placeholders, e.g. /v1/predictions/{prediction_id}
    #: Request field -> the path parameters it fills (split on "/" when it spans several).
    fields: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: Body kind of the HTTP operation: json, multipart, text or none.
    body: str = "json"
    #: The request field that is the whole body of a non-JSON operation ("*" or "" otherwise).
    body_field: str = ""
    #: The operationId this binding runs.
    operation: str = ""


def _routes() -> dict[str, tuple[Route, ...]]:
    found: dict[str, list[Route]] = {}
    for op in OPERATIONS.values():
        if op.rpc is not None:
            route = Route(
                op.method, BASE_PATH + op.path, op.rpc.path_fields, op.body, op.rpc.body, op.id
            )
            found.setdefault(op.rpc.name, []).append(route)
    return {rpc: tuple(routes) for rpc, routes in sorted(found.items())}


#: ``Service.Method`` -> its routes, one per ``google.api.http`` binding.
ROUTES: dict[str, tuple[Route, ...]] = _routes()
