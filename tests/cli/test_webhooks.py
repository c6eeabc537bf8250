"""``webhooks secret`` and ``webhooks verify`` (headers and body from files or stdin)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from pathlib import Path

from tests.cli.conftest import CliFn

SECRET = "whsec_" + base64.b64encode(b"cli-test-signing-key-0123456789").decode()
BODY = b'{"id": "p1", "status": "succeeded"}'


def _headers(body: bytes, secret: str = SECRET, timestamp: int | None = None) -> dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = b"msg_1." + stamp.encode() + b"." + body
    signature = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return {
        "webhook-id": "msg_1",
        "webhook-timestamp": stamp,
        "webhook-signature": f"v1,{signature}",
    }


def _write(tmp_path: Path, headers: dict[str, str], body: bytes) -> tuple[str, str]:
    (tmp_path / "headers.json").write_text(json.dumps(headers))
    (tmp_path / "body.json").write_bytes(body)
    return str(tmp_path / "headers.json"), str(tmp_path / "body.json")


def test_verify_valid_from_files(cli: CliFn, tmp_path: Path) -> None:
    headers, body = _write(tmp_path, _headers(BODY), BODY)
    result = cli("webhooks", "verify", "--headers", headers, "--body", body, "--secret", SECRET)
    assert result.exit_code == 0, result.stderr
    assert result.json() == {"valid": True, "webhook_id": "msg_1"}


def test_verify_body_from_stdin_and_header_lines(cli: CliFn, tmp_path: Path) -> None:
    lines = "".join(f"{k.title()}: {v}\n" for k, v in _headers(BODY).items())
    (tmp_path / "headers.txt").write_text("POST /hook HTTP/1.1\n" + lines)
    result = cli(
        "webhooks",
        "verify",
        "--headers",
        "headers.txt",
        "--body",
        "-",
        input=BODY,
        env={"REPLICATE_WEBHOOK_SECRET": SECRET},
    )
    assert result.exit_code == 0, result.stderr


def test_verify_headers_from_stdin(cli: CliFn, tmp_path: Path) -> None:
    (tmp_path / "body.json").write_bytes(BODY)
    result = cli(
        "webhooks",
        "verify",
        "--headers",
        "-",
        "--body",
        "body.json",
        "--secret",
        SECRET,
        input=json.dumps(_headers(BODY)),
    )
    assert result.exit_code == 0, result.stderr


def test_tampered_body_exits_1(cli: CliFn, tmp_path: Path) -> None:
    headers, body = _write(tmp_path, _headers(BODY), BODY.replace(b"succeeded", b"failed"))
    result = cli("webhooks", "verify", "--headers", headers, "--body", body, "--secret", SECRET)
    assert result.exit_code == 1
    assert result.error_line.startswith("Error: invalid webhook:")
    assert SECRET not in result.stderr


def test_old_timestamp_and_missing_header_exit_1(cli: CliFn, tmp_path: Path) -> None:
    old = _headers(BODY, timestamp=int(time.time()) - 3600)
    headers, body = _write(tmp_path, old, BODY)
    assert (
        cli(
            "webhooks", "verify", "--headers", headers, "--body", body, "--secret", SECRET
        ).exit_code
        == 1
    )
    partial = _headers(BODY)
    del partial["webhook-signature"]
    headers, body = _write(tmp_path, partial, BODY)
    assert (
        cli(
            "webhooks", "verify", "--headers", headers, "--body", body, "--secret", SECRET
        ).exit_code
        == 1
    )


def test_verify_usage_errors(cli: CliFn, tmp_path: Path) -> None:
    both = cli("webhooks", "verify", "--headers", "-", "--body", "-", "--secret", SECRET)
    assert both.exit_code == 2
    assert both.error_line == "Error: only one of --headers and --body can be - (stdin)"
    missing = cli("webhooks", "verify", "--headers", "nope.json", "--body", "-", "--secret", SECRET)
    assert missing.exit_code == 2
    (tmp_path / "h.txt").write_text("not a header line\n")
    unreadable = cli(
        "webhooks", "verify", "--headers", "h.txt", "--body", "-", "--secret", SECRET, input="x"
    )
    assert unreadable.exit_code == 2


def test_secret_and_verify_with_the_accounts_secret(cli: CliFn, tmp_path: Path) -> None:
    shown = cli("webhooks", "secret")
    assert shown.exit_code == 0, shown.stderr
    key = shown.json()["key"]
    assert key.startswith("whsec_")
    headers, body = _write(tmp_path, _headers(BODY, secret=key), BODY)
    result = cli("webhooks", "verify", "--headers", headers, "--body", body)  # secret fetched
    assert result.exit_code == 0, result.stderr
