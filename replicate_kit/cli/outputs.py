"""File outputs: find them in a prediction's output, choose local names, save them."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from replicate_kit import Client
from replicate_kit.helpers import FileOutput, transform_output


def file_urls(output: Any, output_schema: Mapping[str, Any] | None) -> list[str]:
    """URLs of the files in ``output``, in order (schema-aware; else https:/data: strings)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, FileOutput):
            found.append(node.url)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for item in node.values():
                walk(item)

    walk(transform_output(output, None, dict(output_schema) if output_schema else None))
    return found


def _base_name(url: str, index: int) -> str:
    probe = FileOutput(url)
    name = probe.filename
    if name and "." in name:
        return name
    ext = mimetypes.guess_extension(probe.content_type or "") or ""
    return f"{name or 'output'}-{index}{ext}" if name else f"output-{index}{ext}"


def local_names(
    urls: Sequence[str], directory: Path, exists: Callable[[Path], bool] = Path.exists
) -> list[Path]:
    """A distinct path in ``directory`` per URL, never one that already exists. Pure given ``exists``."""
    taken: set[Path] = set()
    out: list[Path] = []
    for index, url in enumerate(urls):
        base = Path(_base_name(url, index))
        candidate = directory / base
        n = 1
        while candidate in taken or exists(candidate):
            candidate = directory / f"{base.stem}-{n}{base.suffix}"
            n += 1
        taken.add(candidate)
        out.append(candidate)
    return out


def save_files(client: Client, urls: Sequence[str], directory: Path) -> dict[str, Path]:
    """Download each URL into ``directory``; returns url -> local path."""
    directory.mkdir(parents=True, exist_ok=True)
    saved: dict[str, Path] = {}
    for url, path in zip(urls, local_names(urls, directory), strict=True):
        if url in saved:
            continue
        with open(path, "wb") as handle:
            for chunk in client.file_output(url):
                handle.write(chunk)
        saved[url] = path
    return saved


def with_local_paths(output: Any, saved: Mapping[str, Path]) -> Any:
    """``output`` with saved URLs replaced by their local paths (for display)."""
    if isinstance(output, str):
        path = saved.get(output)
        return str(path) if path is not None else output
    if isinstance(output, list):
        return [with_local_paths(v, saved) for v in output]
    if isinstance(output, dict):
        return {k: with_local_paths(v, saved) for k, v in output.items()}
    return output
