"""Copy the standard `google.api.http` annotation protos from the installed package into proto/.

Usage: python scripts/gen_proto_deps.py [TARGET]   (default: proto/, giving proto/google/api/*.proto)

`google/api/annotations.proto` and `google/api/http.proto` ship inside the pinned
googleapis-common-protos package, whose `annotations_pb2` the generated stubs import at run time.
The copies are committed because `buf breaking --against '.git#ref=HEAD,subdir=proto'` compiles the
last commit from git objects alone: an import that only a set-up checkout has would break that
check (and buf would need the Buf Schema Registry, which is offline here). This script, not a
hand copy, writes them, and tests/schema/test_proto_deps.py fails when they differ from the
installed package (after a version bump: run this script and commit).
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TARGET = ROOT / "proto"
FILES = ("google/api/annotations.proto", "google/api/http.proto")


def installed_root() -> Path:
    """The directory that `google/api/*.proto` of googleapis-common-protos are relative to."""
    spec = importlib.util.find_spec("google.api.annotations_pb2")
    if spec is None or spec.origin is None:
        raise SystemExit("gen: googleapis-common-protos is not installed (run `make setup`)")
    return Path(spec.origin).parents[2]


def stage(target: Path) -> Path:
    """Copy the annotation protos below `target` (unchanged files are left alone); return it."""
    source = installed_root()
    for name in FILES:
        dest = target / name
        if dest.exists() and dest.read_bytes() == (source / name).read_bytes():
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / name, dest)
    return target


if __name__ == "__main__":
    stage(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_TARGET)
