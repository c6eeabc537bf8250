"""The public API documents itself: every public method has a docstring, entry points an example."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import pytest

import replicate_kit
from replicate_kit import (
    _client,
    _methods,
    _raw,
    exceptions,
    helpers,
    resources,
    stream,
    types,
)

RESOURCE_MODULES = [
    module
    for name, module in vars(resources).items()
    if inspect.ismodule(module) and module.__name__.startswith(f"{resources.__name__}.")
]
MODULES = [*RESOURCE_MODULES, types, _client, helpers, stream, exceptions, _raw, _methods]
#: Methods written once as flows are descriptors (replicate_kit._methods), not functions.
DERIVED = (_methods.Derived, _methods.AsyncName, _methods.local)

WITH_EXAMPLES = [
    replicate_kit.Client,
    replicate_kit.AsyncClient,
    replicate_kit.RetryPolicy,
    replicate_kit.Prediction,
    replicate_kit.Training,
    replicate_kit.Model,
    replicate_kit.Version,
    replicate_kit.Deployment,
    replicate_kit.File,
    replicate_kit.Page,
    replicate_kit.ServerSentEvent,
    replicate_kit.ReplicateError,
    replicate_kit.ModelError,
    replicate_kit.RawResponse,
    *(
        cls
        for name, cls in vars(resources).items()
        if inspect.isclass(cls)
        and cls.__module__.startswith(f"{resources.__name__}.")
        and not name.startswith("_")
    ),
]


def _public_members() -> Iterator[tuple[str, Any]]:
    for module in MODULES:
        for name, cls in vars(module).items():
            if (
                name.startswith("_")
                or not inspect.isclass(cls)
                or cls.__module__ != module.__name__
            ):
                continue
            yield f"{module.__name__}.{name}", cls
            for attr, value in vars(cls).items():
                if attr.startswith("_") and attr != "__call__":
                    continue
                target = value.fget if isinstance(value, property) else value
                if inspect.isfunction(target) or isinstance(target, DERIVED):
                    yield f"{module.__name__}.{name}.{attr}", target
    for name in replicate_kit.__all__:
        value = getattr(replicate_kit, name)
        if inspect.isfunction(value):
            yield f"replicate_kit.{name}", value


def test_every_public_class_and_method_has_a_docstring() -> None:
    members = list(_public_members())
    assert len(members) > 150  # the walk really found the API
    missing = [name for name, obj in members if not (obj.__doc__ or "").strip()]
    assert missing == []


@pytest.mark.parametrize("cls", WITH_EXAMPLES, ids=lambda c: c.__qualname__)
def test_entry_points_show_an_example(cls: type) -> None:
    assert "Example::" in (cls.__doc__ or ""), f"{cls.__qualname__} docstring needs an example"
