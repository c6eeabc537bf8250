"""Run by tests/mock/test_official_client.py in a fresh interpreter.

Uses only the official client's module-level API, configured the way users configure it:
``REPLICATE_API_TOKEN`` and ``REPLICATE_BASE_URL`` in the environment. Prints one JSON object
with what it observed; the test asserts on it.
"""

from __future__ import annotations

import http.server
import io
import json
import sys
import threading
import time
from typing import Any

import replicate
from replicate.webhook import WebhookValidationError

HELLO_VERSION = "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"
HELLO = f"replicate/hello-world:{HELLO_VERSION}"
LLM = "meta/meta-llama-3-8b-instruct"


def core() -> dict[str, Any]:
    seen: dict[str, Any] = {}
    seen["run"] = replicate.run(HELLO, input={"text": "env"})
    seen["stream"] = "".join(
        str(event) for event in replicate.stream(LLM, input={"prompt": "hi", "max_tokens": 5})
    )
    seen["run_llm"] = "".join(replicate.run(LLM, input={"prompt": "hi", "max_tokens": 5}))

    created = replicate.predictions.create(version=HELLO_VERSION, input={"text": "poll"})
    seen["created_status"] = created.status
    created.wait()
    fetched = replicate.predictions.get(created.id)
    seen["get"] = [fetched.id == created.id, fetched.status, fetched.output]

    slow = replicate.models.predictions.create("mock/slow", input={"duration": 600})
    replicate.predictions.cancel(slow.id)
    slow.reload()
    seen["cancel"] = slow.status

    hardware = replicate.hardware.list()
    seen["hardware"] = [h.sku for h in hardware]
    deployment = replicate.deployments.create(
        name="official",
        model="replicate/hello-world",
        version=HELLO_VERSION,
        hardware=hardware[0].sku,
        min_instances=0,
        max_instances=1,
    )
    owner = deployment.owner
    via = replicate.deployments.predictions.create(f"{owner}/official", input={"text": "dep"})
    via.wait()
    seen["deployment"] = [deployment.current_release.number, via.status, via.output]
    updated = replicate.deployments.update(owner, "official", max_instances=2)
    seen["deployment_release"] = updated.current_release.number

    uploaded = replicate.files.create(io.BytesIO(b"hello file"), filename="note.txt")
    seen["file"] = [uploaded.size, uploaded.content_type, bool(uploaded.urls.get("get"))]
    return seen


def trainings() -> dict[str, Any]:
    owner = replicate.default_client.accounts.current().username
    replicate.models.create(owner=owner, name="tuned", visibility="private", hardware="cpu")
    base = replicate.models.get("mock/trainer").latest_version
    assert base is not None
    training = replicate.trainings.create(
        version=f"mock/trainer:{base.id}",
        input={"steps": 3},
        destination=f"{owner}/tuned",
    )
    started = training.status
    for _ in range(500):  # the official Training has reload() but no wait()
        if training.status in ("succeeded", "failed", "canceled", "aborted"):
            break
        time.sleep(0.01)
        training.reload()
    output = training.output or {}
    new_version = str(output.get("version", ""))
    tuned = replicate.models.get(f"{owner}/tuned")
    latest = tuned.latest_version.id if tuned.latest_version else None
    return {
        "training": [started, training.status, new_version.endswith(latest or "-"), bool(latest)]
    }


def webhooks() -> dict[str, Any]:
    received: list[tuple[dict[str, str], str]] = []

    class Receiver(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            received.append((dict(self.headers.items()), body.decode()))
            self.send_response(200)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    try:
        prediction = replicate.predictions.create(
            version=HELLO_VERSION,
            input={"text": "hook"},
            webhook=f"http://127.0.0.1:{receiver.server_address[1]}/hook",
            webhook_events_filter=["completed"],
        )
        prediction.wait()
        for _ in range(500):
            if received:
                break
            time.sleep(0.01)
    finally:
        receiver.shutdown()
    headers, body = received[0]
    secret = replicate.webhooks.default.secret()
    replicate.webhooks.validate(headers=headers, body=body, secret=secret)  # raises if invalid
    try:
        replicate.webhooks.validate(headers=headers, body=body + " ", secret=secret)
        tampered = "accepted"
    except WebhookValidationError as error:
        tampered = type(error).__name__
    return {
        "webhook": [len(received), json.loads(body)["status"], secret.key[:6], tampered],
    }


if __name__ == "__main__":
    parts = sys.argv[1:] or ["core"]
    result: dict[str, Any] = {}
    for part in parts:
        result.update(globals()[part]())
    print(json.dumps(result))
