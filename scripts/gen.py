"""Generate every stub set from the schemas in openapi/ and proto/.

Usage: python scripts/gen.py [--out DIR] [--schemas DIR] [--only STEP ...]

Writes, below DIR (default: the repository root):
  generated/python/replicate_api/        openapi-python-client output (HTTP stubs)
  generated/python/replicate_kit_grpc/   grpcio-tools + mypy-protobuf output (gRPC stubs)
  generated/python/replicate_api_table/  the operation table (scripts/gen_table.py)
  generated/typescript/openapi.ts        openapi-typescript output
  generated/typescript/proto/            protobuf-es output

`make check-gen` runs this into a temporary DIR and compares it with the committed tree, so everything
here must be deterministic: pinned tools (pyproject.toml, package-lock.json), no timestamps, sorted
inputs, and no dependence on anything outside the repository. `--schemas DIR` reads openapi/ and
proto/ below DIR instead (tests/schema/test_gen_derives.py generates from an edited copy).

The protos import `google/api/annotations.proto`, kept in proto/google/api/ as an exact copy of the
installed googleapis-common-protos files (scripts/gen_proto_deps.py).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen_table

ROOT = Path(__file__).resolve().parents[1]
OPENAPI = ROOT / "openapi" / "replicate.openapi.yaml"
PROTO_ROOT = ROOT / "proto"
HTTP_PACKAGE = "replicate_api"
GRPC_PACKAGE = "replicate_kit_grpc"
TABLE_PACKAGE = gen_table.PACKAGE
PROTO_PACKAGE_DIR = Path("replicate_kit") / "v1"
BIN = Path(sys.executable).parent
NODE_BIN = ROOT / "node_modules" / ".bin"

# Our own post-processing replaces the generator's default ruff hooks: its default rule set rewrites
# code in ways that break mypy (see ../shared/reference/toolchain-notes.md).
OPENAPI_CLIENT_CONFIG = """\
package_name_override: replicate_api
project_name_override: replicate-api
literal_enums: true
post_hooks: []
"""


def run(cmd: list[str], cwd: Path = ROOT) -> None:
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(f"$ {' '.join(cmd)}\n{result.stdout}{result.stderr}")
        raise SystemExit(f"gen: command failed: {cmd[0]}")


def ruff_tidy(path: Path) -> None:
    ruff = str(BIN / "ruff")
    run(
        [
            ruff,
            "check",
            str(path),
            "--isolated",
            "--fix-only",
            "--select",
            "I,F401",
            "--no-cache",
            "-q",
        ]
    )
    run([ruff, "format", str(path), "--isolated", "--no-cache", "-q"])


def rewrite(files: Iterable[Path], pattern: str, replacement: str) -> None:
    regex = re.compile(pattern, re.MULTILINE)
    for file in files:
        text = file.read_text()
        new = regex.sub(replacement, text)
        if new != text:
            file.write_text(new)


def gen_http(out: Path) -> None:
    target = out / "generated" / "python" / HTTP_PACKAGE
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "config.yaml"
        config.write_text(OPENAPI_CLIENT_CONFIG)
        staging = Path(tmp) / HTTP_PACKAGE
        run(
            [
                str(BIN / "openapi-python-client"),
                "generate",
                "--path",
                str(OPENAPI),
                "--config",
                str(config),
                "--meta",
                "none",
                "--output-path",
                str(staging),
                "--fail-on-warning",
            ]
        )
        files = sorted(staging.rglob("*.py"))
        # Template defects (toolchain-notes.md): a fixed multipart boundary silently truncates files
        # that contain it, and HTTPStatus(...) raises on non-IANA codes such as 520.
        rewrite(
            files, r'^\s*headers\["Content-Type"\] = "multipart/form-data; boundary=\+\+\+"\n', ""
        )
        rewrite(files, r"HTTPStatus\(response\.status_code\)", "response.status_code")
        rewrite([staging / "types.py"], r"status_code: HTTPStatus", "status_code: int")
        (staging / "py.typed").write_text("")
        ruff_tidy(staging)
        replace_tree(staging, target)


def gen_grpc(out: Path) -> None:
    target = out / "generated" / "python" / GRPC_PACKAGE
    protos = sorted(
        str(p.relative_to(PROTO_ROOT)) for p in (PROTO_ROOT / PROTO_PACKAGE_DIR).glob("*.proto")
    )
    if not protos:
        raise SystemExit("gen: no .proto files under proto/replicate_kit/v1")
    with tempfile.TemporaryDirectory() as tmp:
        staging = Path(tmp) / "out"
        staging.mkdir()
        run(
            [
                str(BIN / "python"),
                "-m",
                "grpc_tools.protoc",
                f"--proto_path={PROTO_ROOT}",
                f"--python_out={staging}",
                f"--grpc_python_out={staging}",
                f"--mypy_out=quiet:{staging}",
                f"--mypy_grpc_out=quiet:{staging}",
                f"--plugin=protoc-gen-mypy={BIN / 'protoc-gen-mypy'}",
                f"--plugin=protoc-gen-mypy_grpc={BIN / 'protoc-gen-mypy_grpc'}",
                *protos,
            ],
            cwd=PROTO_ROOT,
        )
        package = Path(tmp) / GRPC_PACKAGE
        shutil.move(str(staging / "replicate_kit"), str(package))
        for directory in [package, *sorted(p for p in package.rglob("*") if p.is_dir())]:
            (directory / "__init__.py").write_text("")
        (package / "py.typed").write_text("")
        # grpcio-tools emits absolute imports that follow the proto package (replicate_kit.v1); the stubs
        # live in their own package, so sibling imports become relative.
        files = sorted([*package.rglob("*.py"), *package.rglob("*.pyi")])
        rewrite(files, r"^from replicate_kit\.v1 import ", "from . import ")
        rewrite(files, r"^import replicate_kit\.v1\.(\w+)$", r"from . import \1")
        rewrite(files, r"\breplicate_kit\.v1\.(\w+_pb2)\b", r"\1")
        replace_tree(package, target)


def gen_table_module(out: Path) -> None:
    target = out / "generated" / "python" / TABLE_PACKAGE
    with tempfile.TemporaryDirectory() as tmp:
        package = Path(tmp) / TABLE_PACKAGE
        package.mkdir()
        source = gen_table.generate(OPENAPI, PROTO_ROOT, PROTO_PACKAGE_DIR)
        (package / "__init__.py").write_text(source)
        (package / "py.typed").write_text("")
        ruff_tidy(package)
        replace_tree(package, target)


def gen_typescript(out: Path) -> None:
    target = out / "generated" / "typescript"
    with tempfile.TemporaryDirectory() as tmp:
        staging = Path(tmp) / "typescript"
        (staging / "proto").mkdir(parents=True)
        run(
            [
                str(NODE_BIN / "openapi-typescript"),
                str(OPENAPI),
                "--empty-objects-unknown",
                "--output",
                str(staging / "openapi.ts"),
            ]
        )
        run(
            [
                str(NODE_BIN / "buf"),
                "generate",
                "--template",
                '{"version":"v2","plugins":[{"local":"protoc-gen-es","out":"'
                + str(staging / "proto")
                + '","opt":["target=ts","import_extension=js"]}]}',
            ],
            cwd=PROTO_ROOT,
        )
        replace_tree(staging, target)


def replace_tree(source: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source, target)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=ROOT, help="root to write generated/ under")
    parser.add_argument(
        "--schemas", type=Path, default=ROOT, help="root holding openapi/ and proto/ to read"
    )
    parser.add_argument("--only", choices=["http", "grpc", "table", "ts"], action="append")
    args = parser.parse_args()
    global OPENAPI, PROTO_ROOT
    OPENAPI = args.schemas.resolve() / "openapi" / "replicate.openapi.yaml"
    PROTO_ROOT = args.schemas.resolve() / "proto"
    os.environ["PATH"] = f"{BIN}{os.pathsep}{NODE_BIN}{os.pathsep}{os.environ.get('PATH', '')}"
    steps = {"http": gen_http, "grpc": gen_grpc, "table": gen_table_module, "ts": gen_typescript}
    for name in args.only or list(steps):
        steps[name](args.out.resolve())
        print(f"gen: {name} stubs written")


if __name__ == "__main__":
    main()
