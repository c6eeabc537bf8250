"""Webhook delivery of the mock: signatures, events and throttling, retries, faults, clocks."""

from __future__ import annotations

import asyncio
import http.server
import json
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator
from standardwebhooks import Webhook

from mock_server import MockServer
from mock_server.engine.clock import isoformat
from tests.mock.conftest import HELLO, asgi_client
from tests.mock.spec import spec, validate

HELLO_VERSION = HELLO.split(":")[1]
TOKEN = "r8_hooks"
TICKS = {
    "model": "acme/ticker",
    "setup_time": 0.1,
    "output": [{"at": i * 0.1, "chunk": f"t{i} "} for i in range(20)],
}  # 20 chunks over 1.9 s


@dataclass
class Receiver:
    url: str
    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)  # answered in order, then 200

    def wait_for(self, count: int, timeout: float = 5.0) -> list[tuple[dict[str, str], bytes]]:
        deadline = time.monotonic() + timeout
        while len(self.requests) < count and time.monotonic() < deadline:
            time.sleep(0.005)  # waiting on another thread's socket I/O, not on the mock clock
        assert len(self.requests) >= count, f"{len(self.requests)} of {count} webhooks arrived"
        return list(self.requests)

    def payloads(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _, body in self.requests]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver("")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            state.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(state.statuses.pop(0) if state.statuses else 200)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True).start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def served() -> Iterator[MockServer]:
    server = MockServer(seed=3, clock="virtual").start()
    try:
        yield server
    finally:
        server.stop()


def api(server: MockServer, token: str = TOKEN) -> httpx.Client:
    return httpx.Client(
        base_url=server.api_url, headers={"Authorization": f"Bearer {token}"}, timeout=10
    )


def secret_of(server: MockServer, token: str = TOKEN) -> str:
    with api(server, token) as client:
        key: str = client.get("/webhooks/default/secret").json()["key"]
    return key


def predict(server: MockServer, url: str, events: list[str] | None, **body: Any) -> str:
    payload: dict[str, Any] = {"version": HELLO_VERSION, "input": {"text": "hook"}, **body}
    payload["webhook"] = url
    if events is not None:
        payload["webhook_events_filter"] = events
    with api(server) as client:
        r = client.post("/predictions", json=payload)
    assert r.status_code == 201, r.text
    prediction_id: str = r.json()["id"]
    return prediction_id


def start_ticker(server: MockServer, **webhooks: Any) -> str:
    """Start the 20-chunk TICKS model with the given webhook fields; returns its id."""
    server.control.register_model(TICKS)
    with api(server) as client:
        r = client.post("/models/acme/ticker/predictions", json={"input": {}, **webhooks})
    assert r.status_code == 201, r.text
    prediction_id: str = r.json()["id"]
    return prediction_id


def wait_until(check: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.005)


def settled(server: MockServer) -> Callable[[], bool]:
    """True once no delivery is being sent or due now."""

    def check() -> bool:
        now = server.control.now()
        for d in server.control.webhook_deliveries():
            if d["state"] == "sending":
                return False
            due = d["next_attempt_at"]
            if d["state"] == "pending" and due is not None and due <= _iso(now):
                return False
        return True

    return check


def _iso(instant: float) -> str:
    return isoformat(instant)


# -- secret ---------------------------------------------------------------------------------


def test_the_secret_is_per_account_and_per_seed(served: MockServer) -> None:
    with api(served) as client:
        r = client.get("/webhooks/default/secret")
    assert r.status_code == 200
    validate("webhooks.default.secret.get", 200, "application/json", r.json())
    key = r.json()["key"]
    assert key.startswith("whsec_")
    Webhook(key)  # a valid Standard Webhooks secret
    assert secret_of(served) == key
    assert secret_of(served, "r8_someone_else") != key
    served.control.reset()
    assert secret_of(served) == key  # same seed, same account: same secret
    served.control.seed(4)
    assert secret_of(served) != key
    with httpx.Client(base_url=served.api_url) as anonymous:
        unauthenticated = anonymous.get("/webhooks/default/secret")
    assert unauthenticated.status_code == 401
    validate("webhooks.default.secret.get", 401, "application/problem+json", unauthenticated.json())


# -- delivery -------------------------------------------------------------------------------


def test_completed_webhook_is_signed_and_carries_the_prediction(
    served: MockServer, receiver: Receiver
) -> None:
    prediction_id = predict(served, receiver.url, ["completed"])
    served.control.advance(5)
    [(headers, body)] = receiver.wait_for(1)
    payload = Webhook(secret_of(served)).verify(body, headers)
    with api(served) as client:
        assert payload == client.get(f"/predictions/{prediction_id}").json()
    assert payload["status"] == "succeeded" and payload["output"] == "hello hook"
    assert payload["urls"]["get"] == f"{served.api_url}/predictions/{prediction_id}"
    with pytest.raises(Exception, match="signature"):
        Webhook(secret_of(served)).verify(body + b" ", headers)
    wait_until(settled(served))
    [delivery] = served.control.webhook_deliveries(job_id=prediction_id)
    assert delivery["id"] == headers["webhook-id"] and delivery["id"].startswith("msg_")
    assert (delivery["event"], delivery["state"], delivery["kind"]) == (
        "completed",
        "delivered",
        "prediction",
    )
    assert [a["status_code"] for a in delivery["attempts"]] == [200]
    assert delivery["payload"] == payload
    assert abs(int(headers["webhook-timestamp"]) - time.time()) < 60


def test_payloads_validate_against_the_webhook_schemas(
    served: MockServer, receiver: Receiver
) -> None:
    predict(served, receiver.url, ["start", "logs", "output", "completed"])
    served.control.advance(5)
    wait_until(settled(served))
    assert len(receiver.requests) >= 2
    for payload in receiver.payloads():
        _validate_request_body("webhooks.prediction", payload)


def _validate_request_body(operation_id: str, payload: dict[str, Any]) -> None:
    webhook = spec()["webhooks"][operation_id.split(".")[1]]["post"]
    schema = webhook["requestBody"]["content"]["application/json"]["schema"]
    validator = Draft202012Validator({**schema, "components": spec()["components"]})
    errors = list(validator.iter_errors(payload))
    assert not errors, [e.message for e in errors[:3]]


def test_events_follow_the_filter(served: MockServer, receiver: Receiver) -> None:
    with api(served) as client:
        r = client.post(
            "/models/mock/fail/predictions",
            json={
                "input": {"message": "boom"},
                "webhook": receiver.url,
                "webhook_events_filter": ["start", "completed"],
            },
        )
    assert r.status_code == 201
    served.control.advance(0.05)  # starts
    receiver.wait_for(1)
    served.control.advance(5)
    receiver.wait_for(2)
    wait_until(settled(served))
    events = [d["event"] for d in served.control.webhook_deliveries()]
    assert events == ["start", "completed"]
    statuses = [p["status"] for p in receiver.payloads()]
    assert statuses == ["processing", "failed"]


def test_default_events_are_output_and_completed(served: MockServer, receiver: Receiver) -> None:
    start_ticker(served, webhook=receiver.url)
    served.control.advance(10)
    wait_until(settled(served))
    events = [d["event"] for d in served.control.webhook_deliveries()]
    assert set(events) == {"output", "completed"} and events[-1] == "completed"


def test_legacy_webhook_completed_gets_only_the_completed_event(
    served: MockServer, receiver: Receiver
) -> None:
    prediction_id = start_ticker(served, webhook_completed=receiver.url)
    served.control.advance(10)
    [(headers, body)] = receiver.wait_for(1)
    payload = Webhook(secret_of(served)).verify(body, headers)
    assert payload["id"] == prediction_id and payload["status"] == "succeeded"
    wait_until(settled(served))
    [delivery] = served.control.webhook_deliveries()
    assert (delivery["event"], delivery["url"]) == ("completed", receiver.url)


def test_webhook_completed_is_unused_when_webhook_is_given(
    served: MockServer, receiver: Receiver
) -> None:
    start_ticker(
        served,
        webhook=receiver.url,
        webhook_events_filter=["completed"],
        webhook_completed=receiver.url + "/legacy",
    )
    served.control.advance(10)
    receiver.wait_for(1)
    wait_until(settled(served))
    assert [d["url"] for d in served.control.webhook_deliveries()] == [receiver.url]


def test_output_and_logs_are_throttled_to_one_per_500_ms(
    served: MockServer, receiver: Receiver
) -> None:
    start_ticker(served, webhook=receiver.url, webhook_events_filter=["output"])
    # (no `completed`: the tail is flushed too)
    for _ in range(50):  # 5 s in 100 ms steps, as a stream of chunks would see it
        served.control.advance(0.1)
    wait_until(settled(served))
    deliveries = served.control.webhook_deliveries()
    assert {d["event"] for d in deliveries} == {"output"}
    sent = [d["created_at"] for d in deliveries]
    assert sent == [
        "2025-01-01T00:00:00.100000Z",
        "2025-01-01T00:00:00.600000Z",
        "2025-01-01T00:00:01.100000Z",
        "2025-01-01T00:00:01.600000Z",
        "2025-01-01T00:00:02.100000Z",
    ]
    outputs = ["".join(d["payload"]["output"]) for d in deliveries]
    assert outputs[0] == "t0 " and outputs[-1].startswith("t0 t1") and outputs[-1].endswith("t19 ")
    assert deliveries[-1]["payload"]["status"] == "succeeded"
    receiver.wait_for(5)


def test_completed_makes_a_pending_throttled_delivery_redundant(
    served: MockServer, receiver: Receiver
) -> None:
    start_ticker(served, webhook=receiver.url, webhook_events_filter=["output", "completed"])
    served.control.advance(10)  # everything at once: one output, then completion
    wait_until(settled(served))
    events = [d["event"] for d in served.control.webhook_deliveries()]
    assert events == ["output", "completed"]


def test_failed_attempts_are_retried_with_backoff_under_the_same_id(
    served: MockServer, receiver: Receiver
) -> None:
    receiver.statuses = [500, 503]
    prediction_id = predict(served, receiver.url, ["completed"])
    served.control.advance(1)
    receiver.wait_for(1)
    wait_until(settled(served))
    [delivery] = served.control.webhook_deliveries()
    assert delivery["state"] == "pending" and delivery["next_attempt_at"] is not None
    served.control.advance(0.9)
    time.sleep(0.05)  # nothing is due yet: give a wrong implementation the chance to send
    assert len(receiver.requests) == 1
    served.control.advance(0.1)  # first retry after 1 s
    receiver.wait_for(2)
    wait_until(settled(served))
    served.control.advance(2)  # second retry after 2 s more
    receiver.wait_for(3)
    wait_until(settled(served))
    [delivery] = served.control.webhook_deliveries(job_id=prediction_id)
    assert delivery["state"] == "delivered"
    assert [a["status_code"] for a in delivery["attempts"]] == [500, 503, 200]
    ids = {headers["webhook-id"] for headers, _ in receiver.requests}
    assert ids == {delivery["id"]}
    bodies = {body for _, body in receiver.requests}
    assert len(bodies) == 1


def test_attempts_are_bounded(served: MockServer, receiver: Receiver) -> None:
    receiver.statuses = [500] * 10
    predict(served, receiver.url, ["completed"])
    served.control.advance(1)
    for _ in range(6):
        wait_until(settled(served))
        served.control.advance(16)
    wait_until(settled(served))
    [delivery] = served.control.webhook_deliveries()
    assert delivery["state"] == "failed" and delivery["next_attempt_at"] is None
    assert len(delivery["attempts"]) == 5 == len(receiver.requests)


def test_an_unreachable_receiver_is_retried_too(served: MockServer) -> None:
    sock = socket.socket()  # a port nobody listens on
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    predict(served, f"http://127.0.0.1:{port}/hook", ["completed"])
    served.control.advance(1)
    wait_until(lambda: bool(served.control.webhook_deliveries()[0]["attempts"]))
    [delivery] = served.control.webhook_deliveries()
    attempt = delivery["attempts"][0]
    assert attempt["status_code"] is None and "Connect" in attempt["error"]
    assert delivery["state"] == "pending"


def test_injected_faults_fail_deliveries(served: MockServer, receiver: Receiver) -> None:
    fault = served.control.inject_webhook_fault(status=502, count=1)
    assert fault["status"] == 502 and served.control.webhook_faults() == [fault]
    predict(served, receiver.url, ["completed"])
    served.control.advance(1)
    wait_until(settled(served))
    [delivery] = served.control.webhook_deliveries()
    assert delivery["attempts"][0]["status_code"] == 502
    assert "injected" in delivery["attempts"][0]["error"]
    assert receiver.requests == [] and served.control.webhook_faults() == []
    served.control.advance(1)
    receiver.wait_for(1)
    wait_until(settled(served))
    assert served.control.webhook_deliveries()[0]["state"] == "delivered"

    served.control.inject_webhook_fault(url="http://127.0.0.1:*", status=None)
    predict(served, receiver.url, ["completed"])
    served.control.advance(1)
    wait_until(settled(served))
    last = served.control.webhook_deliveries()[-1]
    assert (
        last["attempts"][0]["status_code"] is None and "unreachable" in last["attempts"][0]["error"]
    )
    served.control.clear_webhook_faults()
    assert served.control.webhook_faults() == []


def test_only_loopback_urls_are_contacted_unless_allowed(served: MockServer) -> None:
    predict(served, "https://example.com/hook", ["completed"])
    served.control.advance(1)
    [delivery] = served.control.webhook_deliveries()
    assert delivery["state"] == "skipped" and "loopback" in delivery["reason"]
    assert delivery["attempts"] == []
    served.control.allow_remote_webhooks()
    served.control.inject_webhook_fault(url="https://example.com/*", status=None)  # no real I/O
    predict(served, "https://example.com/hook", ["completed"])
    served.control.advance(1)
    wait_until(settled(served))
    remote = served.control.webhook_deliveries()[-1]
    assert remote["state"] == "pending" and len(remote["attempts"]) == 1


def test_localhost_names_count_as_loopback(served: MockServer, receiver: Receiver) -> None:
    predict(served, receiver.url.replace("127.0.0.1", "localhost"), ["completed"])
    served.control.advance(1)
    receiver.wait_for(1)


def test_training_webhooks_carry_the_training(served: MockServer, receiver: Receiver) -> None:
    with api(served) as client:
        owner = client.get("/account").json()["username"]
        client.post(
            "/models",
            json={"owner": owner, "name": "tuned", "visibility": "private", "hardware": "cpu"},
        )
        trainer = client.get("/models/mock/trainer").json()["latest_version"]["id"]
        r = client.post(
            f"/models/mock/trainer/versions/{trainer}/trainings",
            json={
                "destination": f"{owner}/tuned",
                "input": {"steps": 2},
                "webhook": receiver.url,
                "webhook_events_filter": ["completed"],
            },
        )
    assert r.status_code == 201, r.text
    served.control.advance(10)
    [(headers, body)] = receiver.wait_for(1)
    payload = Webhook(secret_of(served)).verify(body, headers)
    _validate_request_body("webhooks.training", payload)
    assert payload["id"] == r.json()["id"] and payload["status"] == "succeeded"
    assert payload["output"]["version"].startswith(f"{owner}/tuned:")
    assert payload["urls"]["get"].endswith(f"/v1/trainings/{payload['id']}")
    wait_until(settled(served))
    assert served.control.webhook_deliveries()[0]["kind"] == "training"


def test_canceled_predictions_send_completed(served: MockServer, receiver: Receiver) -> None:
    with api(served) as client:
        r = client.post(
            "/models/mock/slow/predictions",
            json={"input": {}, "webhook": receiver.url, "webhook_events_filter": ["completed"]},
        )
        client.post(f"/predictions/{r.json()['id']}/cancel")
    receiver.wait_for(1)
    assert receiver.payloads()[0]["status"] == "canceled"


# -- clocks and entry points ----------------------------------------------------------------


def test_real_clock_delivers_without_anyone_advancing(receiver: Receiver) -> None:
    with MockServer(seed=1, clock="real", speed=5) as server:
        predict(server, receiver.url, ["start", "completed"])
        receiver.wait_for(2)
        assert [p["status"] for p in receiver.payloads()] == ["processing", "succeeded"]


def test_auto_clock_delivers_once_a_client_waits(receiver: Receiver) -> None:
    with MockServer(seed=1, clock="auto") as server:
        with api(server) as client:
            r = client.post(
                "/predictions",
                json={
                    "version": HELLO_VERSION,
                    "input": {"text": "auto"},
                    "webhook": receiver.url,
                    "webhook_events_filter": ["completed"],
                },
                headers={"Prefer": "wait"},
            )
        assert r.json()["status"] == "succeeded"
        receiver.wait_for(1)
        assert receiver.payloads()[0]["output"] == "hello auto"


async def test_in_process_mocks_deliver_on_demand_with_their_request_root(
    receiver: Receiver,
) -> None:
    server = MockServer(seed=2, clock="virtual")
    async with asgi_client(server, TOKEN) as client:
        r = await client.post(
            "/predictions",
            json={
                "version": HELLO_VERSION,
                "input": {"text": "asgi"},
                "webhook": receiver.url,
                "webhook_events_filter": ["completed"],
            },
        )
        secret = (await client.get("/webhooks/default/secret")).json()["key"]
    server.control.advance(1)
    assert server.deliver_webhooks() == 1
    assert server.deliver_webhooks() == 0
    [(headers, body)] = receiver.requests
    payload = Webhook(secret).verify(body, headers)
    assert payload["urls"]["get"] == f"http://mock.test/v1/predictions/{r.json()['id']}"


def test_deliveries_are_deterministic(receiver: Receiver) -> None:
    def run() -> list[tuple[str, Any]]:
        server = MockServer(seed=9, clock="virtual")
        server.engine.config.public_url = "http://mock.test"
        predict_in_process(server, receiver.url)
        server.control.advance(5)
        return [(d["id"], d["payload"]) for d in server.control.webhook_deliveries()]

    assert run() == run()


def predict_in_process(server: MockServer, url: str) -> None:
    transport = httpx.ASGITransport(app=server.app)

    async def create() -> None:
        async with httpx.AsyncClient(transport=transport, base_url="http://mock.test/v1") as c:
            await c.post(
                "/predictions",
                headers={"Authorization": f"Bearer {TOKEN}"},
                json={"version": HELLO_VERSION, "input": {"text": "d"}, "webhook": url},
            )

    asyncio.run(create())


# -- control API over HTTP ------------------------------------------------------------------


def test_control_api_over_http(served: MockServer, receiver: Receiver) -> None:
    prediction_id = predict(served, receiver.url, ["completed"])
    served.control.advance(1)
    receiver.wait_for(1)
    wait_until(settled(served))
    with httpx.Client(base_url=served.url) as control:
        log = control.get("/_mock/webhooks", params={"job": prediction_id}).json()
        assert [d["state"] for d in log] == ["delivered"]
        assert control.get("/_mock/webhooks", params={"state": "failed"}).json() == []
        assert control.get("/_mock/webhooks", params={"state": "nope"}).status_code == 400
        fault = control.post("/_mock/webhooks/faults", json={"status": 500, "count": 2})
        assert fault.status_code == 201 and fault.json()["count"] == 2
        assert len(control.get("/_mock/webhooks/faults").json()) == 1
        for bad in ({"status": 42}, {"rate": 2}, {"count": "x"}, {"colour": 1}, [1]):
            r = control.post("/_mock/webhooks/faults", json=bad)
            assert r.status_code == 400, bad
            assert r.headers["content-type"] == "application/problem+json"
        assert control.delete("/_mock/webhooks/faults").status_code == 204
        assert control.get("/_mock/webhooks/faults").json() == []


def test_replicate_mock_serve_delivers_webhooks_on_the_real_clock(receiver: Receiver) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "mock_server", "serve", "--port", "0", "--speed", "4"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        match = re.search(r"REPLICATE_BASE_URL=(\S+) ", process.stdout.readline())
        assert match
        base = match.group(1)
        with httpx.Client(base_url=base + "/v1", headers={"Authorization": f"Bearer {TOKEN}"}) as c:
            secret = c.get("/webhooks/default/secret").json()["key"]
            r = c.post(
                "/predictions",
                json={
                    "version": HELLO_VERSION,
                    "input": {"text": "served"},
                    "webhook": receiver.url,
                    "webhook_events_filter": ["completed"],
                },
            )
        [(headers, body)] = receiver.wait_for(1)
        payload = Webhook(secret).verify(body, headers)
        assert payload["id"] == r.json()["id"] and payload["output"] == "hello served"
        assert payload["urls"]["get"].startswith(base + "/v1/predictions/")
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
