"""Identifiers for generated code, derived from model and field names. Pure and deterministic."""

from __future__ import annotations

import json
import keyword
import re

_WORDS = re.compile(r"[A-Za-z0-9]+")


def claim(taken: set[str], wanted: str) -> str:
    """``wanted``, or ``wanted2``, ``wanted3``... whichever ``taken`` lacks first; it is then taken."""
    name, n = wanted, 2
    while name in taken:
        name, n = f"{wanted}{n}", n + 1
    taken.add(name)
    return name


def pascal(text: str) -> str:
    """``meta-llama-3-8b-instruct`` -> ``MetaLlama38bInstruct``."""
    words = _WORDS.findall(text)
    joined = "".join(w[:1].upper() + w[1:] for w in words) or "Model"
    return joined if not joined[0].isdigit() else f"M{joined}"


def snake(text: str) -> str:
    """``stability-ai`` -> ``stability_ai``: a Python identifier, never a keyword."""
    joined = "_".join(w.lower() for w in _WORDS.findall(text)) or "model"
    if joined[0].isdigit():
        joined = f"m_{joined}"
    return f"{joined}_" if keyword.iskeyword(joined) else joined


def module_name(owner: str, name: str) -> str:
    """One module per model; the double underscore keeps ``a-b/c`` and ``a/b-c`` apart."""
    return f"{snake(owner)}__{snake(name)}"


def is_identifier(text: str) -> bool:
    """ASCII only: Python NFKC-normalises other identifiers, which would rename the key."""
    return text.isascii() and text.isidentifier() and not keyword.iskeyword(text)


def ts_key(text: str) -> str:
    """An object-type key: bare when it is a plain identifier, quoted otherwise."""
    if re.fullmatch(r"[A-Za-z_$][A-Za-z0-9_$]*", text):
        return text
    return json_string(text)


def json_string(text: str) -> str:
    """A double-quoted literal valid in JSON, Python and TypeScript, whatever ``text`` holds."""
    body = json.dumps(text, ensure_ascii=False)
    return "".join(f"\\u{ord(c):04x}" if 0xD800 <= ord(c) <= 0xDFFF else c for c in body)
