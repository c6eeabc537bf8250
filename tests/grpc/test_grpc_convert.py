"""The mock's RPC -> HTTP request translation (pure, no server)."""

from __future__ import annotations

from replicate_kit_grpc.v1 import predictions_pb2

from mock_server.grpc import convert
from mock_server.http.headers import parse_cancel_after


def _cancel_after(seconds: int, nanos: int = 0) -> str:
    request = predictions_pb2.CreatePredictionRequest(version="a/b:c")
    request.cancel_after.seconds, request.cancel_after.nanos = seconds, nanos
    http = convert.http_request("PredictionService.CreatePrediction", request)
    return dict(http.headers)["cancel-after"]


def test_cancel_after_travels_in_the_header_syntax_the_http_route_reads() -> None:
    # 11.5 days used to print as "1e+06s", which the route refused.
    assert _cancel_after(1_000_000) == "1000000s"
    assert parse_cancel_after(_cancel_after(1_000_000)) == 1_000_000
    assert parse_cancel_after(_cancel_after(7, 500_000_000)) == 7.5


def test_path_values_are_quoted_unless_every_character_is_unreserved() -> None:
    def path(prediction_id: str) -> str:
        request = predictions_pb2.GetPredictionRequest(prediction_id=prediction_id)
        http = convert.http_request("PredictionService.GetPrediction", request, [("x", "y")])
        assert ("x", "y") in http.headers
        return http.path

    assert path("abc-DEF_1.2~3") == "/v1/predictions/abc-DEF_1.2~3"
    assert path("a b/c?é") == "/v1/predictions/a%20b%2Fc%3F%C3%A9"
