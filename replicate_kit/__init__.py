"""replicate_kit: a typed, retry-safe client for the Replicate API.

Drop-in for code written against the official client::

    import replicate_kit as replicate

    output = replicate.run("replicate/hello-world:5c7d...", input={"text": "Alice"})
    for event in replicate.stream("meta/meta-llama-3-8b-instruct", input={"prompt": "Hi"}):
        print(event, end="")

Module-level functions and resources (``replicate_kit.predictions``, ``.models``, ...)
use a default client built on first use from ``REPLICATE_API_TOKEN``,
``REPLICATE_BASE_URL``, ``REPLICATE_POLL_INTERVAL`` and a ``.env`` file.
"""

from __future__ import annotations

import importlib
import sys
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypeVar

from replicate_kit._version import __version__

# A plain `import replicate_kit` loads none of the client stack (httpx, the generated stubs,
# dotenv): each public name below is imported on first use, so a program pays for what it uses.
# Type checkers read the same names from the TYPE_CHECKING imports, which must list the same names.
_LAZY: dict[str, tuple[str, ...]] = {
    "replicate_kit._client": ("AsyncClient", "Client"),
    "replicate_kit._raw": ("RawResponse",),
    "replicate_kit._retry": ("RetryPolicy",),
    "replicate_kit.exceptions": (
        "APIConnectionError",
        "APITimeoutError",
        "AuthenticationError",
        "BadRequestError",
        "ConflictError",
        "InternalServerError",
        "ModelError",
        "NotFoundError",
        "PermissionDeniedError",
        "RateLimitError",
        "ReplicateError",
        "ReplicateException",
        "StreamError",
        "UnprocessableEntityError",
    ),
    "replicate_kit.helpers": ("FileOutput",),
    "replicate_kit.stream": ("ServerSentEvent",),
    "replicate_kit.types": (
        "Account",
        "Collection",
        "Deployment",
        "File",
        "Hardware",
        "Model",
        "Page",
        "Prediction",
        "Training",
        "Version",
        "WebhookSigningSecret",
    ),
}
_LAZY_MODULES = frozenset({"exceptions", "helpers", "types"})
_HOME = {name: module for module, names in _LAZY.items() for name in names}

if TYPE_CHECKING:
    from replicate_kit import exceptions, helpers, types
    from replicate_kit._client import AsyncClient, Client
    from replicate_kit._methods import Blocking
    from replicate_kit._raw import RawResponse
    from replicate_kit._retry import RetryPolicy
    from replicate_kit.exceptions import (
        APIConnectionError,
        APITimeoutError,
        AuthenticationError,
        BadRequestError,
        ConflictError,
        InternalServerError,
        ModelError,
        NotFoundError,
        PermissionDeniedError,
        RateLimitError,
        ReplicateError,
        ReplicateException,
        StreamError,
        UnprocessableEntityError,
    )
    from replicate_kit.helpers import FileOutput
    from replicate_kit.resources import (
        Accounts,
        Collections,
        Deployments,
        Files,
        HardwareResource,
        Models,
        Predictions,
        Search,
        Trainings,
        Webhooks,
    )
    from replicate_kit.stream import ServerSentEvent
    from replicate_kit.types import (
        Account,
        Collection,
        Deployment,
        File,
        Hardware,
        Model,
        Page,
        Prediction,
        Training,
        Version,
        WebhookSigningSecret,
    )

__all__ = [
    "APIConnectionError",
    "APITimeoutError",
    "Account",
    "AsyncClient",
    "AuthenticationError",
    "BadRequestError",
    "Client",
    "Collection",
    "ConflictError",
    "Deployment",
    "File",
    "FileOutput",
    "Hardware",
    "InternalServerError",
    "Model",
    "ModelError",
    "NotFoundError",
    "Page",
    "PermissionDeniedError",
    "Prediction",
    "RateLimitError",
    "RawResponse",
    "ReplicateError",
    "ReplicateException",
    "RetryPolicy",
    "ServerSentEvent",
    "StreamError",
    "Training",
    "UnprocessableEntityError",
    "Version",
    "WebhookSigningSecret",
    "__version__",
    "async_paginate",
    "async_run",
    "async_stream",
    "default_client",
    "exceptions",
    "helpers",
    "paginate",
    "run",
    "set_default_client",
    "stream",
    "types",
]

T = TypeVar("T")

_lock = threading.Lock()
_default: Client | None = None


class _DefaultClient:
    """The shared client behind the module-level API, built from the environment on first use.

    Works like the official module attribute (``replicate.default_client.predictions``)
    and as a function returning the :class:`Client` (``replicate_kit.default_client()``).

    Example::

        client = replicate_kit.default_client()
        replicate_kit.default_client.run("replicate/hello-world", input={"text": "hi"})
    """

    def __call__(self) -> Client:
        global _default
        with _lock:
            if _default is None:
                from replicate_kit._client import Client

                _default = Client()
            return _default

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self(), name)

    def __repr__(self) -> str:
        return "<replicate_kit.default_client (built on first use)>"


default_client = _DefaultClient()


def set_default_client(client: Client | None) -> None:
    """Replace the shared client (``None``: rebuild from the environment on next use)."""
    global _default
    with _lock:
        _default = client


def run(ref: Any, input: Mapping[str, Any] | None = None, **options: Any) -> Any:
    """Run a model and return its output (see :meth:`Client.run`)."""
    return default_client().run(ref, input, **options)


async def async_run(ref: Any, input: Mapping[str, Any] | None = None, **options: Any) -> Any:
    """Async :func:`run`."""
    return await default_client().async_run(ref, input, **options)


def stream(
    ref: Any, input: Mapping[str, Any] | None = None, **options: Any
) -> Iterator[ServerSentEvent]:
    """Run a model and yield its events (see :meth:`Client.stream`)."""
    return default_client().stream(ref, input, **options)


def async_stream(ref: Any, input: Mapping[str, Any] | None = None, **options: Any) -> Any:
    """Async :func:`stream` (``async for e in async_stream(...)``; awaiting first also works)."""
    return default_client().async_stream(ref, input, **options)


def paginate(list_method: Callable[..., Page[T]]) -> Iterator[Page[T]]:
    """Every page of a list method: ``for page in paginate(replicate_kit.predictions.list)``."""
    cursor: Any = ...
    while cursor is not None:
        page = list_method(cursor)
        yield page
        cursor = page.next


async def async_paginate(list_method: Callable[..., Awaitable[Page[T]]]) -> AsyncIterator[Page[T]]:
    """Async :func:`paginate`."""
    cursor: Any = ...
    while cursor is not None:
        page = await list_method(cursor)
        yield page
        cursor = page.next


_RESOURCES = frozenset(
    {
        "predictions",
        "models",
        "deployments",
        "trainings",
        "files",
        "hardware",
        "collections",
        "accounts",
        "account",
        "webhooks",
        "search",
    }
)

if TYPE_CHECKING:
    predictions: Predictions[Blocking]
    models: Models[Blocking]
    deployments: Deployments[Blocking]
    trainings: Trainings[Blocking]
    files: Files[Blocking]
    hardware: HardwareResource[Blocking]
    collections: Collections[Blocking]
    accounts: Accounts[Blocking]
    account: Accounts[Blocking]
    webhooks: Webhooks[Blocking]
    search: Search[Blocking]


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is not None or name in _LAZY_MODULES:
        module = importlib.import_module(home or f"replicate_kit.{name}")
        value = getattr(module, name) if home else module
        globals()[name] = value  # later lookups skip this function
        return value
    # Resources resolve lazily so importing never needs a token or the network.
    if name in _RESOURCES:
        return getattr(default_client(), name)
    raise AttributeError(f"module 'replicate_kit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(ModuleType):
    def __setattr__(self, name: str, value: Any) -> None:
        # Loading the submodule replicate_kit.stream binds it here as `stream`, which would hide the
        # stream() function now that submodules load after this file ran: the function stays.
        if name == "stream" and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
