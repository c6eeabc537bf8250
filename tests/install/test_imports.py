"""`import replicate_kit` and the HTTP transport load no optional extra (gRPC, CLI, mock).

Run in a subprocess where the extras' modules cannot be imported, as in a core-only install.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

# Top-level modules of the extras (and of the libraries only they bring in).
EXTRAS_MODULES = (
    "grpc",
    "google.protobuf",
    "google.rpc",
    "replicate_kit_grpc",
    "starlette",
    "uvicorn",
    "yaml",
    "jsonschema",
    "standardwebhooks",
    "mock_server",
    "typer",
    "rich",
    "click",
)

PROGRAM = textwrap.dedent(
    """
    import sys

    blocked = {blocked!r}
    for name in blocked:
        sys.modules[name] = None  # importing it now raises ImportError, as if not installed

    import httpx
    import replicate_kit
    from replicate_kit import Client

    def handler(request):
        return httpx.Response(200, json={{"type": "user", "username": "core", "name": "Core"}})

    with Client(api_token="r8_core", http_client=httpx.Client(transport=httpx.MockTransport(handler))) as client:
        assert client.account.current().username == "core"
    loaded = sorted(n for n in sys.modules if n.split(".")[0] in {{b.split(".")[0] for b in blocked}}
                    and sys.modules[n] is not None)
    assert not loaded, loaded
    """
)


def test_core_import_and_http_call_need_no_extra() -> None:
    program = PROGRAM.format(blocked=EXTRAS_MODULES)
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
