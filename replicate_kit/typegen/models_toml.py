"""``models.toml``: the committed list of models (pinned to version ids) that ``make gen-models``
types, and where the stubs go."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from replicate_kit.typegen.sources import Request, SourceError, parse_request


@dataclass(frozen=True)
class ModelsFile:
    requests: tuple[Request, ...]
    outputs: dict[str, Path]  # lang -> directory, relative to the file


def load(path: Path) -> ModelsFile:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourceError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise SourceError(f"{path}: not a TOML file ({error})") from None
    entries = data.get("models")
    if not isinstance(entries, list) or not entries:
        raise SourceError(f'{path}: needs [[models]] entries with ref = "owner/name:version"')
    requests = []
    for number, entry in enumerate(entries, 1):
        ref = entry.get("ref") if isinstance(entry, dict) else None
        if not isinstance(ref, str):
            raise SourceError(f"{path}: [[models]] entry {number} has no ref string")
        request = parse_request(ref)
        if request.file is None and not request.version:
            raise SourceError(f"{path}: {ref} is not pinned: write {ref}:VERSION_ID")
        requests.append(request)
    output = data.get("output", {})
    outputs = {
        lang: path.parent / str(where)
        for lang, where in (output.items() if isinstance(output, dict) else [])
        if lang in ("py", "ts")
    }
    return ModelsFile(tuple(requests), outputs)
