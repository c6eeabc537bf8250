"""The ``record`` command and the replay options of ``serve`` (kept here, so ``cli.py`` only
wires them in)."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mock_server.record.cassette import Cassette, CassetteError
from mock_server.record.recorder import DEFAULT_MAX_FILE_SIZE
from mock_server.record.replay import Matching, install

if TYPE_CHECKING:
    from mock_server.server import MockServer


def add_serve_options(serve: argparse.ArgumentParser) -> None:
    serve.add_argument(
        "--cassettes",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="serve the models recorded in this cassette folder too (repeatable)",
    )
    serve.add_argument(
        "--match",
        default="exact",
        metavar="RULE",
        help="how a request's input must match a recording: exact (default), any, "
        "or ignore:KEY[,KEY...]",
    )
    serve.add_argument(
        "--record-missing",
        action="store_true",
        help="send requests no recording matches to --upstream and append them to the "
        "first --cassettes folder",
    )
    serve.add_argument("--upstream", help="the API that --record-missing records from")


def replay_app(args: argparse.Namespace, mock: MockServer) -> Any:
    """The app ``serve`` runs: the mock, with cassettes installed and, with
    ``--record-missing``, behind the recording router. Raises ValueError on bad options."""
    if not args.cassettes:
        if args.record_missing or args.upstream:
            raise ValueError("--record-missing and --upstream need --cassettes DIR")
        return mock.app
    matching = Matching.parse(args.match)
    if args.record_missing:
        if not args.upstream:
            raise ValueError("--record-missing needs --upstream URL")
        for folder in args.cassettes[:1]:
            if not (folder / "cassette.yaml").exists():
                Cassette.create(folder, args.upstream)
    try:
        replay = install(mock.engine, list(args.cassettes), matching)
    except CassetteError as exc:
        raise ValueError(str(exc)) from None
    if not args.record_missing:
        return mock.app
    from mock_server.record.missing import RecordMissing

    return RecordMissing(mock.app, mock.engine, replay, args.upstream)


def add_record_command(commands: Any) -> None:
    record = commands.add_parser(
        "record", help="record the API through a proxy into a cassette folder"
    )
    record.add_argument(
        "--upstream", required=True, help="the API to record, e.g. https://api.replicate.com"
    )
    record.add_argument("--out", type=Path, required=True, metavar="DIR", help="cassette folder")
    record.add_argument("--host", default="127.0.0.1")
    record.add_argument("--port", type=int, default=8788, help="0 picks a free port")
    record.add_argument(
        "--max-file-size",
        type=int,
        default=DEFAULT_MAX_FILE_SIZE,
        metavar="BYTES",
        help="output files larger than this are not stored (default 10 MiB)",
    )


def record(args: argparse.Namespace) -> int:
    from mock_server.record.serving import RecordingProxy

    if args.max_file_size < 0:
        print("replicate-mock: --max-file-size must not be negative", file=sys.stderr)
        return 2
    try:
        proxy = RecordingProxy(args.upstream, args.out, max_file_size=args.max_file_size)
    except (ValueError, OSError) as exc:
        print(f"replicate-mock: cannot record: {exc}", file=sys.stderr)
        return 2
    try:
        proxy.start(args.host, args.port)
    except OSError as exc:
        print(f"replicate-mock: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    print(
        f"replicate-mock recording {proxy.recorder.upstream} into {args.out} - "
        f"export REPLICATE_BASE_URL={proxy.url}  (Ctrl-C to stop)",
        flush=True,
    )
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    stop.wait()
    print("replicate-mock: finishing the predictions being followed ...", flush=True)
    proxy.stop(timeout=60)
    recorder = proxy.recorder
    for error in recorder.errors:
        print(f"replicate-mock: not recorded: {error}", file=sys.stderr)
    print(f"replicate-mock recorded {len(recorder.recorded)} job(s) into {args.out}", flush=True)
    return 0
