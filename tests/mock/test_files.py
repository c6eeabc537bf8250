"""Files API of the mock through plain httpx: upload, get, list, delete, download, expiry."""

from __future__ import annotations

import hashlib
from typing import Any

import httpx
import pytest

from mock_server import MockServer
from tests.mock.conftest import asgi_client
from tests.mock.spec import validate


async def upload(
    client: httpx.AsyncClient,
    content: bytes = b"hello world\n",
    name: str = "hello.txt",
    mime: str = "text/plain",
    **fields: str,
) -> httpx.Response:
    return await client.post("/files", files={"content": (name, content, mime)}, data=fields)


async def test_upload_reports_real_size_and_checksums(client: httpx.AsyncClient) -> None:
    content = bytes(range(256)) * 40
    r = await upload(client, content, "blob.bin", "application/x-test", metadata='{"a": [1, 2]}')
    assert r.status_code == 201, r.text
    body = r.json()
    validate("files.create", 201, "application/json", body)
    assert body["size"] == len(content)
    assert body["checksums"] == {
        "sha256": hashlib.sha256(content).hexdigest(),
        "md5": hashlib.md5(content).hexdigest(),
    }
    assert body["etag"] == hashlib.md5(content).hexdigest()
    assert (body["name"], body["content_type"], body["metadata"]) == (
        "blob.bin",
        "application/x-test",
        {"a": [1, 2]},
    )
    assert len(body["id"]) == 26
    assert body["urls"]["get"] == f"http://mock.test/v1/files/{body['id']}"
    assert body["created_at"] == "2025-01-01T00:00:00.000000Z"
    assert body["expires_at"] == "2025-01-02T00:00:00.000000Z"


async def test_form_fields_override_the_part_headers(client: httpx.AsyncClient) -> None:
    r = await upload(client, b"{}", "x.bin", "application/octet-stream", filename="data.json",
                     type="application/json")  # fmt: skip
    assert r.status_code == 201, r.text
    assert (r.json()["name"], r.json()["content_type"]) == ("data.json", "application/json")
    # A bare field (no filename) is accepted as content, typed octet-stream by default.
    bare = await client.post("/files", files={"content": (None, b"raw")})
    assert bare.status_code == 201, bare.text
    assert (bare.json()["name"], bare.json()["content_type"], bare.json()["size"]) == (
        "file",
        "application/octet-stream",
        3,
    )


async def test_metadata_as_a_json_part_like_the_js_client(client: httpx.AsyncClient) -> None:
    files = {
        "content": ("blob", b"abc", "text/plain"),
        "metadata": ("blob", b'{"k": "v"}', "application/json"),
    }
    r = await client.post("/files", files=files)
    assert r.status_code == 201, r.text
    assert r.json()["metadata"] == {"k": "v"}


async def test_get_list_delete(client: httpx.AsyncClient) -> None:
    ids = [(await upload(client, f"file {i}".encode())).json()["id"] for i in range(3)]
    got = await client.get(f"/files/{ids[0]}")
    assert got.status_code == 200
    validate("files.get", 200, "application/json", got.json())
    listed = await client.get("/files")
    validate("files.list", 200, "application/json", listed.json())
    assert [f["id"] for f in listed.json()["results"]] == ids[::-1]  # newest first
    deleted = await client.delete(f"/files/{ids[1]}")
    assert deleted.status_code == 204 and deleted.content == b""
    for method in ("GET", "DELETE"):
        gone = await client.request(method, f"/files/{ids[1]}")
        assert gone.status_code == 404
        assert gone.headers["content-type"] == "application/problem+json"
        assert gone.json()["detail"] == "File not found"
    listed = await client.get("/files")
    assert [f["id"] for f in listed.json()["results"]] == [ids[2], ids[0]]


async def test_files_are_private_to_their_account(server: MockServer) -> None:
    async with asgi_client(server, "r8_alice") as alice, asgi_client(server, "r8_bob") as bob:
        file_id = (await upload(alice)).json()["id"]
        assert (await bob.get(f"/files/{file_id}")).status_code == 404
        assert (await bob.delete(f"/files/{file_id}")).status_code == 404
        assert (await bob.get("/files")).json()["results"] == []
        assert (await bob.get(f"/files/{file_id}/download")).status_code == 404
        assert (await alice.get(f"/files/{file_id}")).status_code == 200


async def test_list_is_paginated_with_absolute_cursor_urls() -> None:
    server = MockServer(seed=1, clock="virtual", page_size=2)
    async with asgi_client(server) as client:
        ids = [(await upload(client, bytes([i]))).json()["id"] for i in range(5)]
        seen: list[str] = []
        url: str | None = "/files"
        pages = 0
        while url is not None:
            page = (await client.get(url)).json()
            validate("files.list", 200, "application/json", page)
            seen += [f["id"] for f in page["results"]]
            url = page["next"]
            if url is not None:
                assert url.startswith("http://mock.test/v1/files?cursor=")
            pages += 1
        assert seen == ids[::-1] and pages == 3


async def test_download_through_the_signed_link_and_with_a_token(
    server: MockServer, client: httpx.AsyncClient
) -> None:
    content = b"\x00binary\xff" * 10
    body = (await upload(client, content, "b.bin")).json()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=server.app), base_url="http://mock.test"
    ) as anonymous:
        signed = await anonymous.get(body["urls"]["download"])
        assert signed.status_code == 200
        assert signed.content == content
        assert signed.headers["content-type"] == "application/octet-stream"
        forged = await anonymous.get(body["urls"]["download"].replace("signature=", "signature=x"))
        assert forged.status_code == 404
        unsigned = await anonymous.get(f"/v1/files/{body['id']}/download")
        assert unsigned.status_code == 404
    with_token = await client.get(f"/files/{body['id']}/download")
    assert with_token.status_code == 200 and with_token.content == content


async def test_files_expire_on_the_clock(server: MockServer, client: httpx.AsyncClient) -> None:
    body = (await upload(client)).json()
    server.control.advance(24 * 3600 - 1)
    assert (await client.get(f"/files/{body['id']}")).status_code == 200
    server.control.advance(1)
    assert (await client.get(f"/files/{body['id']}")).status_code == 404
    assert (await client.get("/files")).json()["results"] == []
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=server.app)) as anonymous:
        assert (await anonymous.get(body["urls"]["download"])).status_code == 404


async def test_uploads_over_the_size_limit_are_refused() -> None:
    server = MockServer(seed=1, clock="virtual", max_file_size=1000)
    async with asgi_client(server) as client:
        assert (await upload(client, b"x" * 1000)).status_code == 201
        r = await upload(client, b"x" * 1001)
        assert r.status_code == 413
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["detail"] == "Files must be less than 1000 bytes in size"
        validate("files.create", 413, "application/problem+json", r.json())
        # Refused from Content-Length alone, before the body is read.
        big = await upload(client, b"x" * 200_000)
        assert big.status_code == 413
        assert len((await client.get("/files")).json()["results"]) == 1


def test_the_default_limit_is_100_mb() -> None:
    assert MockServer().engine.files.max_size == 100 * 1024 * 1024


BAD_UPLOADS: list[tuple[str, dict[str, Any]]] = [
    ("json body", {"json": {"content": "x"}}),
    ("no content", {"files": {"filename": (None, b"a.txt")}}),
    ("unknown field", {"files": {"content": ("a", b"x"), "colour": (None, b"red")}}),
    ("metadata not json", {"files": {"content": ("a", b"x"), "metadata": (None, b"{nope")}}),
    ("metadata not object", {"files": {"content": ("a", b"x"), "metadata": (None, b"[1]")}}),
    ("filename too long", {"files": {"content": ("a", b"x"), "filename": (None, b"n" * 256)}}),
    ("bad type", {"files": {"content": ("a", b"x"), "type": (None, b"not a type")}}),
    ("two contents", {"files": [("content", ("a", b"x")), ("content", ("b", b"y"))]}),
    (
        "malformed multipart",
        {
            "content": b'--zz\r\nContent-Disposition: form-data; name="content"\r\n\r\nabc',
            "headers": {"content-type": "multipart/form-data; boundary=zz"},
        },
    ),
    (
        "no boundary",
        {"content": b"garbage", "headers": {"content-type": "multipart/form-data"}},
    ),
]


@pytest.mark.parametrize(("case", "kwargs"), BAD_UPLOADS, ids=[c for c, _ in BAD_UPLOADS])
async def test_bad_uploads_are_a_clean_4xx_without_side_effects(
    client: httpx.AsyncClient, case: str, kwargs: dict[str, Any]
) -> None:
    r = await client.post("/files", **kwargs)
    assert 400 <= r.status_code < 500, (case, r.status_code, r.text)
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert problem["status"] == r.status_code and problem["detail"]
    assert (await client.get("/files")).json()["results"] == []


async def test_unknown_ids_and_missing_auth(server: MockServer, client: httpx.AsyncClient) -> None:
    assert (await client.get("/files/nope")).status_code == 404
    assert (await client.delete("/files/nope")).status_code == 404
    async with asgi_client(server, token=None) as anonymous:
        for method, path in [("GET", "/files"), ("POST", "/files"), ("GET", "/files/x")]:
            r = await anonymous.request(method, path)
            assert r.status_code == 401, (method, path)


async def test_uploaded_file_url_is_a_valid_prediction_input(
    auto_client: httpx.AsyncClient,
) -> None:
    url = (await upload(auto_client)).json()["urls"]["get"]
    r = await auto_client.post(
        "/models/mock/echo/predictions", json={"input": {"text": url}}, headers={"Prefer": "wait"}
    )
    assert r.status_code == 201, r.text
    assert r.json()["output"] == url
