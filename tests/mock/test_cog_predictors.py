"""A user's own Cog predictor (predict.py) answering the mock's predictions."""

from __future__ import annotations

import asyncio
import base64
import sys
import threading
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


ODD = PREDICTORS / "odd.py"


async def _run_odd(server: MockServer, name: str, body: dict[str, Any]) -> Any:
    server.control.register_model({"model": f"acme/{name}", "predictor": f"{ODD}:{name}"})
    async with asgi_client(server) as client:
        created = await client.post(f"/models/acme/{name}/predictions", json=body)
        return await _finished(server, client, created)


async def test_integer_beyond_64_bits_fails_the_prediction_not_the_server(
    server: MockServer,
) -> None:
    body = await _run_odd(server, "huge", {"input": {}})
    assert body["status"] == "failed"
    assert "64 bits" in body["error"]


async def test_sys_exit_in_predict_fails_the_prediction(server: MockServer) -> None:
    body = await _run_odd(server, "exits", {"input": {}})
    assert body["status"] == "failed"
    assert "SystemExit" in body["logs"]


def test_sys_exit_in_setup_is_a_clear_registration_error(server: MockServer) -> None:
    with pytest.raises(ValueError, match=r"setup\(\) failed: SystemExit: no GPU"):
        server.control.register_model({"model": "acme/x", "predictor": f"{ODD}:ExitsInSetup"})


def test_sys_exit_while_importing_is_a_clear_registration_error(
    server: MockServer, tmp_path: Path
) -> None:
    (tmp_path / "predict.py").write_text("raise SystemExit(1)\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"cannot import predict\.py: SystemExit"):
        server.control.register_model(
            {"model": "acme/x", "predictor": f"{tmp_path / 'predict.py'}:predict"}
        )


async def test_an_uploaded_file_name_cannot_leave_the_work_folder(
    server: MockServer, tmp_path: Path
) -> None:
    server.control.register_model({"model": "acme/echo", "predictor": f"{ODD}:echo_file"})
    name = f"../../../../../../../..{tmp_path}/escaped.png"
    async with asgi_client(server) as client:
        uploaded = await client.post(
            "/files", files={"content": (name, b"x", "image/png")}, data={"filename": name}
        )
        assert uploaded.status_code == 201, uploaded.text
        created = await client.post(
            "/models/acme/echo/predictions",
            json={"input": {"image": uploaded.json()["urls"]["get"]}},
        )
        body = await _finished(server, client, created)
    assert not (tmp_path / "escaped.png").exists()
    assert body["status"] == "succeeded" and body["output"] == "escaped.png"


def test_same_named_sibling_modules_in_two_folders_stay_apart(
    server: MockServer, tmp_path: Path
) -> None:
    for word in ("alpha", "beta"):
        folder = tmp_path / word
        folder.mkdir()
        (folder / "helpers.py").write_text(f"WORD = {word!r}\n", encoding="utf-8")
        (folder / "predict.py").write_text(
            "from helpers import WORD\n\ndef predict(x: int = 1) -> str:\n    return WORD\n",
            encoding="utf-8",
        )
        server.control.register_model(
            {"model": f"acme/{word}", "predictor": f"{folder / 'predict.py'}:predict"}
        )

    async def outputs() -> list[Any]:
        async with asgi_client(server) as client:
            results = []
            for word in ("alpha", "beta"):
                created = await client.post(f"/models/acme/{word}/predictions", json={"input": {}})
                results.append((await _finished(server, client, created))["output"])
            return results

    assert asyncio.run(outputs()) == ["alpha", "beta"]


def test_re_registering_picks_up_an_edited_sibling_module(
    server: MockServer, tmp_path: Path
) -> None:
    (tmp_path / "predict.py").write_text(
        "from helpers import WORD\n\ndef predict(x: int = 1) -> str:\n    return WORD\n",
        encoding="utf-8",
    )
    spec = {"model": "acme/edit", "predictor": f"{tmp_path / 'predict.py'}:predict"}
    (tmp_path / "helpers.py").write_text("WORD = 'old'\n", encoding="utf-8")
    server.control.register_model(spec)
    (tmp_path / "helpers.py").write_text("WORD = 'new'\n", encoding="utf-8")
    server.control.register_model(spec)

    async def output() -> Any:
        async with asgi_client(server) as client:
            created = await client.post("/models/acme/edit/predictions", json={"input": {}})
            return (await _finished(server, client, created))["output"]

    assert asyncio.run(output()) == "new"


def test_other_threads_printing_during_a_prediction_keep_their_output(
    server: MockServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.control.register_model({"model": "acme/waits", "predictor": f"{ODD}:waits"})
    # The mock imported its own copy of odd.py: its events are the ones the predictor uses.
    loaded = next(
        m for m in list(sys.modules.values()) if getattr(m, "__file__", None) == str(ODD.resolve())
    )
    bodies: list[Any] = []

    async def create() -> None:
        async with asgi_client(server) as client:
            created = await client.post("/models/acme/waits/predictions", json={"input": {}})
            bodies.append(await _finished(server, client, created))

    worker = threading.Thread(target=asyncio.run, args=(create(),))
    worker.start()
    try:
        assert loaded.STARTED.wait(10)
        print("from the test thread")
    finally:
        loaded.RESUME.set()
        worker.join(10)
    assert bodies and bodies[0]["logs"] == "from the predictor\n"
    assert "from the test thread" in capsys.readouterr().out


async def test_printed_lines_between_outputs_share_one_time_slot(server: MockServer) -> None:
    predictor = f"{PREDICTORS / 'captioner.py'}:chatty"
    server.control.register_model({"model": "acme/chatty", "predictor": predictor})
    async with asgi_client(server) as client:
        created = await client.post(
            "/models/acme/chatty/predictions", json={"input": {"lines": 1000}}
        )
        body = await _finished(server, client, created)
    assert body["logs"].count("\n") == 1000 and body["output"] == "done"
    # one slot for the lines, one to finish (0.05 s each), not 1,000 of them
    assert body["metrics"]["predict_time"] <= 0.2


async def test_another_accounts_file_fails_with_the_reason(server: MockServer) -> None:
    server.control.register_model({"model": "acme/captioner", "predictor": CAPTIONER})
    async with asgi_client(server, token="r8_owner") as owner:
        uploaded = await owner.post("/files", files={"content": ("cat.png", b"x", "image/png")})
    async with asgi_client(server, token="r8_someone_else") as other:
        created = await other.post(
            "/models/acme/captioner/predictions",
            json={"input": {"image": uploaded.json()["urls"]["get"]}},
        )
        body = await _finished(server, other, created)
    assert body["status"] == "failed"
    assert "was not found: it expired, was deleted, or belongs to another account" in body["error"]


async def test_async_predictor_keeps_the_loop_its_setup_ran_on(server: MockServer) -> None:
    predictor = f"{PREDICTORS / 'captioner.py'}:SameLoop"
    server.control.register_model({"model": "acme/loop", "predictor": predictor})
    async with asgi_client(server) as client:
        outputs = []
        for item in ("a", "b"):
            created = await client.post(
                "/models/acme/loop/predictions", json={"input": {"item": item}}
            )
            outputs.append((await _finished(server, client, created))["output"])
    assert outputs == ["a same-loop=True", "b same-loop=True"]
