"""`import replicate_kit` is light: the client stack loads on first use of a public name."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys
import textwrap

import replicate_kit


def test_plain_import_loads_no_client_stack() -> None:
    program = textwrap.dedent(
        """
        import sys
        import replicate_kit
        heavy = ("httpx", "httpx_sse", "dotenv", "orjson", "attrs", "replicate_api", "asyncio")
        print(sorted(n for n in sys.modules if n.split(".")[0] in heavy))
        replicate_kit.Client
        print("httpx" in sys.modules)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.split("\n")[:2] == ["[]", "True"], done.stdout


def test_every_exported_name_is_its_home_modules_object() -> None:
    for name in replicate_kit.__all__:
        value = getattr(replicate_kit, name)
        home = replicate_kit._HOME.get(name)
        if home is not None:
            assert value is getattr(importlib.import_module(home), name), name
    assert set(replicate_kit._HOME) <= set(replicate_kit.__all__)
    assert set(replicate_kit._HOME) <= set(dir(replicate_kit))


def test_stream_stays_the_function_once_its_submodule_is_loaded() -> None:
    importlib.import_module("replicate_kit.stream")
    assert inspect.isfunction(replicate_kit.stream)
    assert replicate_kit.stream.__module__ == "replicate_kit"


def test_unknown_names_still_raise_attribute_error() -> None:
    try:
        replicate_kit.no_such_name  # noqa: B018
    except AttributeError as error:
        assert "no_such_name" in str(error)
    else:
        raise AssertionError("expected AttributeError")
