"""A user's own Cog predictor (predict.py) answering the mock's predictions."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import httpx
import pytest

from mock_server import MockServer
from mock_server.cli import load_fixtures

from .conftest import asgi_client

PREDICTORS = Path(__file__).parent / "predictors"
CAPTIONER = f"{PREDICTORS / 'captioner.py'}:Predictor"
PNG = b"\x89PNG\r\n\x1a\nfake"
PNG_URI = "data:image/png;base64," + base64.b64encode(PNG).decode()


async def _finished(server: MockServer, client: httpx.AsyncClient, created: Any) -> Any:
    assert created.status_code == 201, created.text
    server.control.advance(60)
    return (await client.get(created.json()["urls"]["get"])).json()


async def test_signature_becomes_the_versions_openapi_schema(server: MockServer) -> None:
    server.control.register_model({"model": "acme/captioner", "predictor": CAPTIONER})
    async with asgi_client(server) as client:
        model = (await client.get("/models/acme/captioner")).json()
    schemas = model["latest_version"]["openapi_schema"]["components"]["schemas"]
    assert schemas["Input"]["required"] == ["image"]
    properties = schemas["Input"]["properties"]
    assert properties["image"]["format"] == "uri"
    assert properties["words"] | {} == {
        "type": "integer",
        "title": "Words",
        "default": 3,
        "minimum": 1,
        "maximum": 10,
        "x-order": 2,
    }
    assert schemas["style"]["enum"] == ["short", "long"]
    assert schemas["Output"]["x-cog-array-display"] == "concatenate"


async def test_iterator_predictor_streams_outputs_and_logs_in_order(server: MockServer) -> None:
    server.control.register_model({"model": "acme/captioner", "predictor": CAPTIONER})
    async with asgi_client(server) as client:
        created = await client.post(
            "/models/acme/captioner/predictions",
            json={"input": {"image": PNG_URI, "words": 2, "style": "long"}},
        )
        body = await _finished(server, client, created)
        stream = await client.get(created.json()["urls"]["stream"])
    assert body["status"] == "succeeded"
    assert body["output"] == ["caption-long-0 ", "caption-long-1 "]
    assert body["logs"] == f"read {len(PNG)} bytes from input.png\ndone\n"
    events = [line for line in stream.text.splitlines() if line.startswith("event: ")]
    assert events == [
        "event: logs",
        "event: output",
        "event: output",
        "event: logs",
        "event: done",
    ]


async def test_inputs_are_validated_by_the_derived_schema(server: MockServer) -> None:
    server.control.register_model({"model": "acme/captioner", "predictor": CAPTIONER})
    async with asgi_client(server) as client:
        response = await client.post(
            "/models/acme/captioner/predictions",
            json={"input": {"image": PNG_URI, "words": 11, "style": "medium"}},
        )
    assert response.status_code == 422
    fields = {item["field"] for item in response.json()["invalid_fields"]}
    assert {"input.words", "input.style"} <= fields
    assert server.control.create_count() == 0


async def test_uploaded_file_reaches_the_predictor(server: MockServer) -> None:
    server.control.register_model({"model": "acme/captioner", "predictor": CAPTIONER})
    async with asgi_client(server) as client:
        uploaded = await client.post(
            "/files", files={"content": ("cat.png", b"0123456789", "image/png")}
        )
        url = uploaded.json()["urls"]["get"]
        created = await client.post(
            "/models/acme/captioner/predictions", json={"input": {"image": url, "words": 1}}
        )
        body = await _finished(server, client, created)
    assert body["logs"].startswith("read 10 bytes from cat.png\n")


async def test_url_the_mock_cannot_serve_fails_the_prediction(server: MockServer) -> None:
    server.control.register_model({"model": "acme/captioner", "predictor": CAPTIONER})
    async with asgi_client(server) as client:
        created = await client.post(
            "/models/acme/captioner/predictions",
            json={"input": {"image": "https://example.com/cat.png"}},
        )
        body = await _finished(server, client, created)
    assert body["status"] == "failed"
    assert "cannot fetch 'https://example.com/cat.png'" in body["error"]


async def test_returned_path_is_served_and_exceptions_fail(server: MockServer) -> None:
    server.control.register_model(
        {"model": "acme/sizes", "predictor": f"{PREDICTORS / 'captioner.py'}:Sizes"}
    )
    async with asgi_client(server) as client:
        ok = await _finished(
            server,
            client,
            await client.post("/models/acme/sizes/predictions", json={"input": {"text": "four"}}),
        )
        downloaded = await client.get(ok["output"])
        failed = await _finished(
            server,
            client,
            await client.post(
                "/models/acme/sizes/predictions", json={"input": {"text": "x", "fail": True}}
            ),
        )
    assert ok["status"] == "succeeded" and downloaded.content == b"4\n"
    assert failed["status"] == "failed" and failed["error"] == "CUDA out of memory"
    assert "Traceback" in failed["logs"] and "RuntimeError: CUDA out of memory" in failed["logs"]


async def test_plain_function_predictor(server: MockServer) -> None:
    server.control.register_model(
        {"model": "acme/shout", "predictor": f"{PREDICTORS / 'captioner.py'}:shout"}
    )
    async with asgi_client(server) as client:
        created = await client.post(
            "/models/acme/shout/predictions", json={"input": {"text": "hi"}}
        )
        body = await _finished(server, client, created)
    assert body["output"] == "HI!"


async def test_same_seed_same_requests_same_bytes() -> None:
    async def transcript() -> list[bytes]:
        server = MockServer(seed=3, clock="virtual")
        server.control.register_model({"model": "acme/captioner", "predictor": CAPTIONER})
        async with asgi_client(server) as client:
            created = await client.post(
                "/models/acme/captioner/predictions", json={"input": {"image": PNG_URI}}
            )
            server.control.advance(60)
            finished = await client.get(created.json()["urls"]["get"])
        return [created.content, finished.content]

    assert await transcript() == await transcript()


@pytest.mark.parametrize(
    ("script", "message"),
    [
        ({"predictor": "nowhere.py:Predictor"}, "predictor file not found"),
        ({"predictor": "captioner.py"}, "must look like 'predict.py:Predictor'"),
        ({"predictor": f"{PREDICTORS / 'captioner.py'}:Missing"}, "has no 'Missing'"),
        ({"predictor": f"{PREDICTORS / 'broken_setup.py'}:Predictor"}, "setup() failed: OSError"),
        ({"predictor": CAPTIONER, "output": "x"}, "a predictor decides its own output"),
    ],
)
async def test_bad_predictor_is_a_clear_control_api_error(
    server: MockServer, script: dict[str, Any], message: str
) -> None:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=server.app), base_url="http://mock.test/_mock"
    ) as mock:
        response = await mock.post("/models", json={"model": "acme/bad", **script})
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_fixture_file_paths_are_relative_to_the_file(tmp_path: Path) -> None:
    (tmp_path / "predict.py").write_text(
        "def predict(text: str) -> str:\n    return text[::-1]\n", encoding="utf-8"
    )
    fixtures = tmp_path / "fixtures.yaml"
    fixtures.write_text("model: acme/rev\npredictor: predict.py:predict\n", encoding="utf-8")
    models, _ = load_fixtures(fixtures)
    assert models == [{"model": "acme/rev", "predictor": f"{tmp_path / 'predict.py'}:predict"}]
    server = MockServer(clock="auto", fixtures=models)
    assert server.control.register_model(models[0])["name"] == "rev"


async def test_async_predictors_and_async_setup(server: MockServer) -> None:
    predictors = PREDICTORS / "captioner.py"
    server.control.register_model(
        {"model": "acme/tokens", "predictor": f"{predictors}:AsyncTokens"}
    )
    server.control.register_model({"model": "acme/loud", "predictor": f"{predictors}:async_shout"})
    async with asgi_client(server) as client:
        tokens = await _finished(
            server,
            client,
            await client.post("/models/acme/tokens/predictions", json={"input": {"count": 3}}),
        )
        loud = await _finished(
            server,
            client,
            await client.post("/models/acme/loud/predictions", json={"input": {"text": "hey"}}),
        )
    assert tokens["output"] == ["hi0", "hi1", "hi2"]
    assert tokens["logs"] == "token 0\ntoken 1\ntoken 2\n"
    assert loud["output"] == "HEY"


def test_cog_yaml_names_the_predictor(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "predict.py").write_text(
        "def predict(text: str) -> str:\n    return text * 2\n", encoding="utf-8"
    )
    (tmp_path / "cog.yaml").write_text(
        'build:\n  python_version: "3.11"\npredict: "src/predict.py:predict"\n', encoding="utf-8"
    )
    fixtures = tmp_path / "fixtures.yaml"
    fixtures.write_text("model: acme/twice\npredictor: cog.yaml\n", encoding="utf-8")
    models, _ = load_fixtures(fixtures)
    assert models == [{"model": "acme/twice", "predictor": str(tmp_path / "cog.yaml")}]
    server = MockServer(clock="auto", fixtures=models)
    version = server.control.register_model(models[0])["latest_version"]
    assert version["openapi_schema"]["components"]["schemas"]["Input"]["required"] == ["text"]
    (tmp_path / "cog.yaml").write_text("build: {}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="has no predict:"):
        server.control.register_model(models[0])
