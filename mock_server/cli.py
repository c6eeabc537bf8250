"""``replicate-mock serve``: run the mock as a standalone HTTP server."""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib.util
import signal
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import uvicorn
import yaml

from mock_server import extras, serving
from mock_server.delivery.webhooks import WebhookWorker
from mock_server.engine import persistence
from mock_server.engine.clock import CLOCK_MODES
from mock_server.engine.ratelimit import DEFAULT_LIMITS as DEFAULT_RATE_LIMITS
from mock_server.record import cli as record_cli
from mock_server.server import MockServer, Ticker

if TYPE_CHECKING:
    from mock_server.grpc import GrpcServer

DEFAULT_TOKEN = "r8_mock_0000000000000000000000000000000000"
SERVERS = ("uvicorn", "granian")


def load_fixtures(path: Path) -> tuple[list[dict[str, Any] | str], list[dict[str, Any]]]:
    """Models (scripts) and accounts from a YAML/JSON file.

    Accepted shapes: one model script; a list of scripts; or
    ``{models: [...], accounts: [{token, username}]}``.
    """
    data = yaml.safe_load(path.read_text())
    if data is None:
        return [], []
    if isinstance(data, list):
        return _next_to(path, data), []
    if not isinstance(data, dict):
        raise ValueError("the fixtures file must hold a mapping or a list")
    if "models" in data or "accounts" in data:
        models, accounts = data.get("models") or [], data.get("accounts") or []
        if not isinstance(models, list) or not isinstance(accounts, list):
            raise ValueError("models and accounts must be lists")
        return _next_to(path, models), list(accounts)
    return _next_to(path, [data]), []


def _next_to(fixtures: Path, models: list[Any]) -> list[dict[str, Any] | str]:
    """Relative ``predictor:`` files are found next to the fixtures file, not the cwd."""
    resolved: list[dict[str, Any] | str] = []
    for model in models:
        ref = model.get("predictor") if isinstance(model, dict) else None
        if isinstance(ref, str):
            # "predict.py:Predictor", or a cog.yaml path (no ":Name" part).
            file, colon, name = ref.rpartition(":") if ":" in ref else (ref, "", "")
            if file and not Path(file).expanduser().is_absolute():
                model = {**model, "predictor": f"{(fixtures.parent / file).resolve()}{colon}{name}"}
        resolved.append(model)
    return resolved


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="replicate-mock", description="Deterministic offline mock of the Replicate API."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the mock over HTTP (and gRPC)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8787, help="0 picks a free port")
    serve.add_argument("--seed", type=int, default=0)
    serve.add_argument("--clock", choices=CLOCK_MODES, default="real")
    serve.add_argument("--speed", type=float, default=1.0, help="real clock speed factor")
    serve.add_argument("--fixtures", type=Path, help="YAML/JSON file of models and accounts")
    serve.add_argument(
        "--predictor",
        action="append",
        default=[],
        metavar="OWNER/NAME=REF",
        help="serve a Cog predictor as a model, e.g. acme/captioner=predict.py:Predictor or "
        "acme/captioner=cog.yaml (repeatable)",
    )
    serve.add_argument(
        "--token",
        "--tokens",
        action="append",
        dest="tokens",
        help="strict mode: accept only these tokens, 401 for any other (repeatable); "
        "default: any well-formed token is its own account",
    )
    serve.add_argument(
        "--examples",
        action="store_true",
        help="example mode for generated SDK test suites: placeholder ids and names "
        "(model_owner, prediction_id, ...) materialise on first use, ownership is not checked",
    )
    serve.add_argument("--page-size", type=int, default=100)
    serve.add_argument(
        "--allow-remote-webhooks",
        action="store_true",
        help="also deliver webhooks to non-loopback URLs (default: loopback only)",
    )
    serve.add_argument(
        "--grpc-port",
        type=int,
        default=None,
        help="also serve the gRPC API (same engine) on this port; 0 picks a free port",
    )
    serve.add_argument(
        "--server",
        choices=SERVERS,
        default="uvicorn",
        help="the HTTP server: uvicorn (httptools + uvloop, the default) or granian (Rust; its "
        "embedded mode is experimental upstream; pip install granian)",
    )
    serve.add_argument(
        "--no-rate-limits",
        action="store_true",
        help="turn off the per-account rate limits (for load tests)",
    )
    serve.add_argument(
        "--state",
        type=Path,
        metavar="FILE",
        help="keep the mock's state (accounts, predictions, files, ...) in FILE across restarts: "
        "loaded on start, saved on shutdown and every --state-interval seconds",
    )
    serve.add_argument(
        "--state-interval",
        type=float,
        default=persistence.DEFAULT_INTERVAL,
        metavar="SECONDS",
        help=f"seconds between state saves (default {persistence.DEFAULT_INTERVAL:g})",
    )
    record_cli.add_serve_options(serve)
    record_cli.add_record_command(commands)
    return parser


def serve(args: argparse.Namespace) -> int:
    models: list[dict[str, Any] | str] = []
    accounts: list[dict[str, Any]] = []
    if args.fixtures is not None:
        try:
            models, accounts = load_fixtures(args.fixtures)
        except (OSError, ValueError, yaml.YAMLError) as exc:
            print(f"replicate-mock: cannot load fixtures: {exc}", file=sys.stderr)
            return 2
    for entry in args.predictor:
        name, sep, ref = entry.partition("=")
        if not sep or name.count("/") != 1 or not ref:
            print(
                f"replicate-mock: --predictor takes OWNER/NAME=REF, not {entry!r}", file=sys.stderr
            )
            return 2
        models.append({"model": name, "predictor": ref})
    if args.speed <= 0 or args.page_size < 1:
        print("replicate-mock: --speed and --page-size must be positive", file=sys.stderr)
        return 2
    try:
        mock = MockServer(
            seed=args.seed,
            clock=args.clock,
            speed=args.speed,
            tokens=args.tokens,
            page_size=args.page_size,
            fixtures=models,
            rate_limits=None if args.no_rate_limits else DEFAULT_RATE_LIMITS,
            allow_remote_webhooks=args.allow_remote_webhooks,
            examples=args.examples,
        )
        for account in accounts:
            mock.control.add_account(str(account["token"]), account.get("username"))
    except (ValueError, KeyError, TypeError) as exc:
        print(f"replicate-mock: invalid fixtures or --predictor: {exc}", file=sys.stderr)
        return 2
    try:
        app = record_cli.replay_app(args, mock)
    except ValueError as exc:
        print(f"replicate-mock: {exc}", file=sys.stderr)
        return 2
    if args.server == "granian" and importlib.util.find_spec("granian") is None:
        print(
            "replicate-mock: --server granian needs granian: pip install granian", file=sys.stderr
        )
        return 2
    autosave: persistence.Autosave | None = None
    if args.state is not None:
        try:
            persistence.check_writable(args.state)
            persistence.load_file(mock.engine, args.state)
            autosave = persistence.Autosave(mock.engine, args.state, args.state_interval)
        except ValueError as exc:  # StateError too
            print(f"replicate-mock: state file {args.state}: {exc}", file=sys.stderr)
            return 2
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    sock = socket.socket(family)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((args.host, args.port))
    except OSError as exc:
        print(f"replicate-mock: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    if args.server == "uvicorn":
        sock.listen(2048)  # connections queue up until uvicorn starts accepting
    # granian binds the port itself: this socket only reserves it (and checks it is free), and
    # does not listen, so nothing connects before granian does (it would be reset).
    port = sock.getsockname()[1]
    host = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{host}:{port}"
    token = args.tokens[0] if args.tokens else DEFAULT_TOKEN
    grpc_server: GrpcServer | None = None
    if args.grpc_port is not None:
        try:  # grpcio: only for a mock that serves gRPC
            from mock_server.grpc import GrpcServer
        except ModuleNotFoundError as missing:
            sock.close()
            print(
                f"replicate-mock: {extras.needs('grpc', '--grpc-port', missing)}", file=sys.stderr
            )
            return 2
        try:
            grpc_server = GrpcServer(mock.app, lambda: url).start(args.host, args.grpc_port)
        except RuntimeError as exc:
            sock.close()
            print(
                f"replicate-mock: cannot serve gRPC on port {args.grpc_port}: {exc}",
                file=sys.stderr,
            )
            return 1

    def announce() -> None:
        print(
            f"replicate-mock serving {url}/v1 (seed {args.seed}, clock {args.clock}) - "
            f"export REPLICATE_BASE_URL={url} REPLICATE_API_TOKEN={token}",
            flush=True,
        )
        if grpc_server is not None:
            print(
                f"replicate-mock serving gRPC on {grpc_server.target} - "
                f"export REPLICATE_TRANSPORT=grpc REPLICATE_GRPC_TARGET={grpc_server.target}",
                flush=True,
            )

    if args.server == "uvicorn":
        announce()  # the bound socket queues connections until uvicorn accepts them
    # "auto" picks httptools and uvloop (installed with uvicorn[standard]): several times the
    # throughput of h11 on asyncio.
    config = uvicorn.Config(
        app,
        log_level="warning",
        lifespan="off",
        http="auto",
        loop="auto",
        timeout_graceful_shutdown=2,
        date_header=False,  # the app sends Date from the mock's clock
        # At log level warning an access line is never shown, but uvicorn still formats its
        # arguments per request while the access logger has a handler (1.5% of a GET).
        access_log=False,
    )
    # uvicorn drains connections on SIGINT/SIGTERM, then re-raises the signal through the
    # handlers that were installed before it started: turn that into a clean exit.
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)
    # A busy mock allocates many small objects (jobs, events, journal entries): with CPython's
    # default thresholds the cyclic collector paused requests for tens of ms (p99 and max
    # latency under load). Start-up objects are frozen out of it and collections run rarer.
    gc.freeze()
    gc.set_threshold(10_000, 50, 100)
    ticker = Ticker(mock.engine).start()
    mock.engine.config.public_url = url
    webhooks = WebhookWorker(mock.engine).start()
    if autosave is not None:
        autosave.start()
    if args.server == "granian":
        sock.close()  # granian binds the port itself: announced once it accepts connections
        serving.run_granian(app, args.host, port, announce)
    else:
        with contextlib.suppress(_Stop):
            uvicorn.Server(config).run(sockets=[sock])
    if grpc_server is not None:
        grpc_server.stop()
    webhooks.stop()
    ticker.stop()
    if autosave is not None:
        autosave.stop()  # the final save, once no request can change the state
    print("replicate-mock stopped", flush=True)
    return 0


class _Stop(Exception):
    pass


def _raise_stop(signum: int, frame: object) -> None:
    raise _Stop(signum)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "serve":
        return serve(args)
    if args.command == "record":
        return record_cli.record(args)
    return 2  # pragma: no cover - argparse rejects unknown commands


if __name__ == "__main__":
    sys.exit(main())
