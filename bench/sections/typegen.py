"""7. ``replicate-kit gen-types`` for 50 models from local schema files (Python and TypeScript).

The schemas are the mock's built-in catalogue plus the test fixtures written after popular public
models, repeated under new names up to 50. Timed end to end as the CLI does it: read the files,
parse the schemas, render both languages and write the files. No network, no type checker.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.procs import ROOT
from bench.report import Row
from bench.settings import Settings
from mock_server.engine.builtin_models import build_version, builtin_specs
from mock_server.engine.ids import stable_hex
from replicate_kit.typegen import generate
from replicate_kit.typegen.sources import from_file, parse_request

MODELS = 50
GOAL_SECONDS = 5.0
LANGS: tuple[generate.Lang, ...] = ("py", "ts")


def _schema_files(folder: Path) -> list[Path]:
    """``MODELS`` model JSON files (as ``GET /models/{o}/{n}`` returns them) in ``folder``."""
    documents: list[dict[str, Any]] = []
    for spec in builtin_specs():
        version = build_version(spec, stable_hex(spec.owner, spec.name, "builtin"))
        documents.append({"latest_version": version.to_json()})
    for path in sorted((ROOT / "tests" / "typegen" / "fixtures").glob("*.json")):
        documents.append(json.loads(path.read_text()))
    paths = []
    for number in range(MODELS):
        document = dict(documents[number % len(documents)])
        document.update(
            owner="bench", name=f"model-{number:02d}", description=f"bench model {number}"
        )
        document["latest_version"] = {
            **document["latest_version"],
            "id": stable_hex("bench", str(number)),
        }
        path = folder / f"model-{number:02d}.json"
        path.write_text(json.dumps(document))
        paths.append(path)
    return paths


def _generate(paths: list[Path], out: Path) -> int:
    models = [generate.read(from_file(parse_request(str(p)))) for p in paths]
    written = 0
    for lang in LANGS:
        files = generate.render(models, lang)
        written += len(generate.write(out / lang, files, lang))
    return written


def run(s: Settings, raw: dict[str, Any]) -> list[Row]:
    runs = 1 if s.quick else 5
    seconds: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-typegen-") as tmp:
        paths = _schema_files(Path(tmp))
        for attempt in range(runs):
            out = Path(tmp) / f"out-{attempt}"
            started = time.perf_counter()
            files = _generate(paths, out)
            seconds.append(time.perf_counter() - started)
    raw["typegen"] = {"models": MODELS, "files": files, "seconds": seconds}
    return [
        Row(
            "8",
            f"gen-types: {MODELS} models from local schemas, py + ts (median of {runs})",
            "s",
            statistics.median(seconds),
            goal=f"<{GOAL_SECONDS:g}",
            note=f"{files} files",
        )
    ]
