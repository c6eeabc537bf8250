"""Every resource method sends the documented request and maps the answer to typed objects."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

import replicate_kit
from replicate_kit import types

from .conftest import API, TOKEN, FakeAPI, V, body_of, prediction

MODEL = {"owner": "me", "name": "m", "visibility": "private", "latest_version": {"id": V}}
DEPLOYMENT = {
    "owner": "me",
    "name": "dep",
    "current_release": {
        "number": 2,
        "model": "o/m",
        "version": V,
        "created_by": {"type": "user", "username": "me"},
        "configuration": {"hardware": "gpu-t4", "min_instances": 0, "max_instances": 1},
    },
}
TRAINING = {"id": "t1", "model": "o/m", "version": V, "status": "starting", "output": None}
FILE = {
    "id": "f1",
    "name": "note.txt",
    "content_type": "text/plain",
    "size": 2,
    "checksums": {"sha256": "x"},
    "metadata": {},
    "created_at": "2024-01-01T00:00:00Z",
    "expires_at": "2024-01-02T00:00:00Z",
    "urls": {"get": f"{API}/files/f1"},
}


def page(*results: Any, next: str | None = None) -> dict[str, Any]:
    return {"next": next, "previous": None, "results": list(results)}


def only(api: FakeAPI) -> httpx.Request:
    assert len(api.requests) == 1, [str(r.url) for r in api.requests]
    return api.requests[0]


# -- models -----------------------------------------------------------------------------------


def test_models_get_list_and_object_methods(api: FakeAPI) -> None:
    api.on("GET /models/me/m", MODEL)
    api.on("GET /models", page(MODEL))
    api.on(f"GET /models/me/m/versions/{V}", {"id": V, "openapi_schema": {}})
    api.on("GET /models/me/m/versions", page({"id": V}))
    client = api.client()
    for model in (client.models.get("me/m"), client.models.get("me", "m")):
        assert (model.id, model.owner, model.visibility) == ("me/m", "me", "private")
        assert isinstance(model.latest_version, types.Version) and model.latest_version.id == V
    model.reload()
    assert model.versions.get(V).id == V
    assert [v.id for v in model.versions.list()] == [V]
    assert [v.id for v in client.models.versions("me/m").list()] == [V]
    listed = client.models.list(sort_by="model_created_at", sort_direction="asc")
    assert listed[0].id == "me/m"
    assert api.sent("GET /models")[0].url.params == httpx.QueryParams(
        sort_by="model_created_at", sort_direction="asc"
    )
    with pytest.raises(ValueError, match="owner/name"):
        client.models.get("no-slash")


def test_models_create_update_delete(api: FakeAPI) -> None:
    api.on("POST /models", (201, MODEL))
    api.on("PATCH /models/me/m", {**MODEL, "description": "new"})
    api.on("DELETE /models/me/m", httpx.Response(204))
    client = api.client()
    created = client.models.create("me", "m", visibility="private", hardware="cpu")
    assert created.id == "me/m"
    assert body_of(api.requests[0]) == {
        "owner": "me",
        "name": "m",
        "visibility": "private",
        "hardware": "cpu",
    }
    updated = client.models.update("me/m", description="new", readme="# hi")
    assert updated.description == "new"
    assert body_of(api.requests[1]) == {"description": "new", "readme": "# hi"}
    assert client.models.delete("me/m") is True
    assert [r.method for r in api.requests] == ["POST", "PATCH", "DELETE"]


def test_versions_delete_examples_and_readme(api: FakeAPI) -> None:
    api.on(f"DELETE /models/me/m/versions/{V}", httpx.Response(202))
    api.on("GET /models/me/m/examples", page(prediction(status="succeeded", output="ex")))
    api.on(
        "GET /models/me/m/readme",
        httpx.Response(200, text="# Model\n", headers={"content-type": "text/plain"}),
    )
    client = api.client()
    assert client.models.versions("me/m").delete(V) is True
    examples = client.models.examples("me/m")
    assert isinstance(examples[0], types.Prediction) and examples[0].output == "ex"
    assert client.models.readme("me/m") == "# Model\n"


def test_models_predictions_create_has_no_version(api: FakeAPI) -> None:
    api.on("POST /models/o/m/predictions", (201, prediction(status="succeeded", output="hi")))
    p = api.client().models.predictions.create(
        "o/m", input={"prompt": "x"}, wait=5, webhook="https://me.example/hook"
    )
    assert p.output == "hi"
    request = only(api)
    assert body_of(request) == {"input": {"prompt": "x"}, "webhook": "https://me.example/hook"}
    assert request.headers["Prefer"] == "wait=5"


# -- deployments ------------------------------------------------------------------------------


def test_deployments_crud(api: FakeAPI) -> None:
    api.on("GET /deployments", page(DEPLOYMENT))
    api.on("POST /deployments", DEPLOYMENT)  # the API answers 200, not 201
    api.on("PATCH /deployments/me/dep", DEPLOYMENT)
    api.on("DELETE /deployments/me/dep", httpx.Response(204))
    client = api.client()
    listed = client.deployments.list()
    assert listed[0].id == "me/dep"
    release = listed[0].current_release
    assert release is not None and release.number == 2
    assert release.created_by is not None and release.created_by.username == "me"
    created = client.deployments.create(
        name="dep", model="o/m", version=V, hardware="gpu-t4", min_instances=0, max_instances=1
    )
    assert created.name == "dep"
    assert body_of(api.sent("POST /deployments")[0]) == {
        "name": "dep",
        "model": "o/m",
        "version": V,
        "hardware": "gpu-t4",
        "min_instances": 0,
        "max_instances": 1,
    }
    client.deployments.update("me", "dep", max_instances=3)
    assert body_of(api.sent("PATCH /deployments/me/dep")[0]) == {"max_instances": 3}
    assert client.deployments.delete("me", "dep") is True
    assert client.deployments.delete("me/dep") is True


def test_deployment_predictions_and_run(api: FakeAPI) -> None:
    api.on(
        "POST /deployments/me/dep/predictions", (201, prediction(status="processing", output=None))
    )
    api.on("GET /predictions/p1", prediction(status="succeeded", output="done"))
    client = api.client()
    p = client.deployments.predictions.create("me/dep", input={"a": 1}, wait=False)
    assert "Prefer" not in api.requests[0].headers
    p.wait()
    assert p.output == "done"
    assert client.deployments.run("me/dep", input={"a": 2}) == "done"
    assert body_of(api.sent("POST /deployments/me/dep/predictions")[1]) == {"input": {"a": 2}}
    assert api.sent("POST /deployments/me/dep/predictions")[1].headers["Prefer"] == "wait"


# -- trainings --------------------------------------------------------------------------------


def test_trainings_create_forms_and_lifecycle(api: FakeAPI) -> None:
    route = f"POST /models/o/m/versions/{V}/trainings"
    api.on(route, (201, TRAINING))
    api.on("GET /trainings/t1", {**TRAINING, "status": "processing"})
    api.on("POST /trainings/t1/cancel", {**TRAINING, "status": "canceled"})
    api.on("GET /trainings", page(TRAINING))
    client = api.client()
    version = types.Version(id=V)
    model = types.Model(owner="o", name="m")
    for kwargs in (
        {"version": f"o/m:{V}"},
        {"model": "o/m", "version": V},
        {"model": model, "version": version},
    ):
        t = client.trainings.create(
            **kwargs,
            input={"steps": 1},
            destination="me/tuned",
            webhook="https://me.example/hook",
            webhook_events_filter=["completed"],
        )
        assert t.id == "t1"
    assert len(api.sent(route)) == 3
    assert body_of(api.sent(route)[0]) == {
        "destination": "me/tuned",
        "input": {"steps": 1},
        "webhook": "https://me.example/hook",
        "webhook_events_filter": ["completed"],
    }
    assert t.destination == "me/tuned"  # the API does not echo it; the client keeps it
    t.reload()
    assert t.status == "processing" and t.destination == "me/tuned"
    t.cancel()
    assert t.status == "canceled" and t.done
    assert client.trainings.get("t1").status == "processing"
    assert client.trainings.cancel("t1").status == "canceled"
    assert client.trainings.list()[0].id == "t1"
    with pytest.raises(ValueError, match="destination"):
        client.trainings.create(version=f"o/m:{V}", input={})
    with pytest.raises(ValueError, match="owner/name:version"):
        client.trainings.create(version=V, input={}, destination="me/tuned")


def test_trainings_create_uploads_input_files(api: FakeAPI, tmp_path: Path) -> None:
    route = f"POST /models/o/m/versions/{V}/trainings"
    api.on(route, (201, TRAINING))
    api.on("POST /files", (201, FILE))
    data = tmp_path / "data.zip"
    data.write_bytes(b"PK")
    client = api.client()
    client.trainings.create(
        version=f"o/m:{V}",
        input={"train_data": data, "steps": 2},
        destination="me/tuned",
        webhook_completed="https://me.example/done",
    )
    assert len(api.sent("POST /files")) == 1
    assert body_of(api.sent(route)[0]) == {
        "destination": "me/tuned",
        "input": {"train_data": f"{API}/files/f1", "steps": 2},
        "webhook_completed": "https://me.example/done",
    }

    async def inline() -> None:
        await client.trainings.async_create(
            version=f"o/m:{V}",
            input={"train_data": data},
            destination="me/tuned",
            file_encoding_strategy="base64",
        )

    asyncio.run(inline())
    assert len(api.sent("POST /files")) == 1  # inlined, not uploaded
    sent = body_of(api.sent(route)[1])["input"]["train_data"]
    assert sent == "data:application/zip;base64,UEs="


def test_training_wait_polls_to_a_new_version(api: FakeAPI) -> None:
    api.on(f"POST /models/o/m/versions/{V}/trainings", (201, TRAINING))
    api.on(
        "GET /trainings/t1",
        {**TRAINING, "status": "processing"},
        {**TRAINING, "status": "succeeded", "output": {"version": "me/tuned:abc", "weights": "w"}},
    )
    t = api.client().trainings.create(version=f"o/m:{V}", input={}, destination="me/tuned")
    t.wait()
    assert t.status == "succeeded" and t.output["version"] == "me/tuned:abc"
    assert t.destination == "me/tuned"
    assert len(api.sent("GET /trainings/t1")) == 2


# -- files ------------------------------------------------------------------------------------


def _multipart_fields(request: httpx.Request) -> dict[str, bytes]:
    boundary = request.headers["content-type"].split("boundary=", 1)[1].encode()
    fields: dict[str, bytes] = {}
    for part in request.content.split(b"--" + boundary):
        head, sep, value = part.partition(b"\r\n\r\n")
        if not sep:
            continue
        name = head.split(b'name="', 1)[1].split(b'"', 1)[0].decode()
        fields[name] = value.removesuffix(b"\r\n")
    return fields


def test_files_create_from_path_str_and_file_object(api: FakeAPI, tmp_path: Path) -> None:
    api.on("POST /files", (201, FILE))
    note = tmp_path / "note.txt"
    note.write_text("hi")
    client = api.client()
    assert client.files.create(note).id == "f1"
    assert client.files.create(str(note)).id == "f1"
    handle = io.BytesIO(b"{}")
    client.files.create(handle, metadata={"k": "v"}, content_type="application/json")
    client.files.create(io.BytesIO(b"raw"), filename="data.bin")
    first, second, third, fourth = api.sent("POST /files")
    for request in (first, second):
        fields = _multipart_fields(request)
        assert fields["content"] == b"hi" and fields["filename"] == b"note.txt"
        assert fields["type"] == b"text/plain"
        assert b'filename="note.txt"' in request.content
    fields = _multipart_fields(third)
    assert json.loads(fields["metadata"]) == {"k": "v"}
    assert fields["type"] == b"application/json"
    assert _multipart_fields(fourth)["filename"] == b"data.bin"
    with pytest.raises(FileNotFoundError):
        client.files.create(tmp_path / "missing.txt")
    with pytest.raises(TypeError, match="Path"):
        client.files.create(12345)


def test_files_get_list_delete_download(api: FakeAPI) -> None:
    api.on("GET /files/f1", FILE)
    api.on("GET /files", page(FILE))
    api.on("DELETE /files/f1", httpx.Response(204))
    api.on(
        "GET /files/f1/download",
        httpx.Response(200, content=b"hi", headers={"content-type": "application/octet-stream"}),
    )
    client = api.client()
    f = client.files.get("f1")
    assert (f.id, f.size, f.content_type, f.urls) == ("f1", 2, "text/plain", FILE["urls"])
    assert [x.id for x in client.files.list()] == ["f1"]
    assert client.files.download("f1", owner="me", expiry=1700000000, signature="c2ln") == b"hi"
    download = api.sent("GET /files/f1/download")[0]
    assert download.url.params == httpx.QueryParams(
        owner="me", expiry="1700000000", signature="c2ln"
    )
    assert client.files.delete("f1") is True


def test_files_download_from_a_file_object_keeps_bytes_exact(api: FakeAPI) -> None:
    link = f"{API}/files/f1/download?owner=me&expiry=1700000000&signature=c2ln"
    api.on(
        "GET /files/f1/download",
        httpx.Response(200, content=b'{"a": 1}', headers={"content-type": "application/json"}),
    )
    client = api.client()
    f = types.File.from_dict({**FILE, "urls": {"get": f"{API}/files/f1", "download": link}})
    assert client.files.download(f) == b'{"a": 1}'  # not parsed, whatever its content type
    assert str(api.requests[0].url) == link
    with pytest.raises(ValueError, match="owner=, expiry= and signature="):
        client.files.download("f1")
    with pytest.raises(ValueError, match="owner=, expiry= and signature="):
        client.files.download(types.File.from_dict(FILE))
    assert len(api.requests) == 1


# -- hardware, collections, account, search, webhooks -----------------------------------------


def test_hardware_collections_account_search(api: FakeAPI) -> None:
    api.on("GET /hardware", [{"name": "CPU", "sku": "cpu"}, {"name": "T4", "sku": "gpu-t4"}])
    api.on("GET /collections", page({"name": "Text", "slug": "text", "description": "d"}))
    api.on(
        "GET /collections/text",
        {"name": "Text", "slug": "text", "description": "d", "models": [MODEL]},
    )
    api.on("GET /account", {"type": "organization", "username": "acme", "name": "Acme"})
    api.on(
        "GET /search",
        {
            "query": "llama",
            "models": [{"model": MODEL, "metadata": {"score": 0.9, "tags": []}}],
            "collections": [],
            "pages": [],
        },
    )
    client = api.client()
    assert [h.sku for h in client.hardware.list()] == ["cpu", "gpu-t4"]
    assert client.collections.list()[0].slug == "text"
    collection = client.collections.get("text")
    assert [m.id for m in collection] == ["me/m"] and len(collection) == 1
    account = client.account.current()
    assert (account.type, account.username) == ("organization", "acme")
    assert client.accounts.get().username == "acme"
    result = client.search("llama", limit=3)
    assert result.query == "llama" and result.models[0]["model"].id == "me/m"
    assert api.sent("GET /search")[0].url.params == httpx.QueryParams(query="llama", limit="3")


# -- the async client exposes the same resources under plain names ----------------------------


def test_async_client_resources(api: FakeAPI, tmp_path: Path) -> None:
    api.on("GET /models/me/m", MODEL)
    api.on("GET /models", page(MODEL))
    api.on("GET /models/me/m/versions", page({"id": V}))
    api.on(f"GET /models/me/m/versions/{V}", {"id": V})
    api.on("GET /deployments/me/dep", DEPLOYMENT)
    api.on("POST /deployments/me/dep/predictions", (201, prediction(status="succeeded", output=1)))
    api.on(f"POST /models/o/m/versions/{V}/trainings", (201, TRAINING))
    api.on("GET /trainings/t1", {**TRAINING, "status": "succeeded", "output": {"version": "a/b:c"}})
    api.on("POST /files", (201, FILE))
    api.on("GET /files/f1", FILE)
    api.on("GET /hardware", [{"name": "CPU", "sku": "cpu"}])
    api.on("GET /collections/text", {"name": "T", "slug": "text", "models": []})
    api.on("GET /account", {"type": "user", "username": "me"})
    api.on("GET /webhooks/default/secret", {"key": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"})
    api.on("GET /search", {"query": "q", "models": [], "collections": [], "pages": []})
    note = tmp_path / "n.txt"
    note.write_text("hi")

    async def main() -> None:
        transport = httpx.MockTransport(api.handle)
        async with replicate_kit.AsyncClient(
            TOKEN, http_client=httpx.AsyncClient(transport=transport), poll_interval=0
        ) as client:
            assert (await client.models.get("me/m")).id == "me/m"
            assert len(await client.models.list()) == 1
            versions = client.models.versions("me/m")
            assert [v.id for v in await versions.list()] == [V]
            assert (await versions.get(V)).id == V
            assert (await client.deployments.get("me/dep")).id == "me/dep"
            assert await client.deployments.run("me/dep", input={}) == 1
            p = await client.deployments.predictions.create("me/dep", input={})
            assert p.output == 1
            t = await client.trainings.create(version=f"o/m:{V}", input={}, destination="a/b")
            await t.async_wait()
            assert t.destination == "a/b"
            assert (await client.files.create(note)).id == "f1"
            assert (await client.files.get("f1")).size == 2
            assert [h.sku for h in await client.hardware.list()] == ["cpu"]
            assert (await client.collections.get("text")).slug == "text"
            assert (await client.account.current()).username == "me"
            assert (await client.webhooks.default.secret()).key.startswith("whsec_")
            assert (await client.search("q")).query == "q"

    asyncio.run(main())
