"""What every resource shares: its core and mode, and the flows of one-object, one-page and
no-content calls."""

from __future__ import annotations

from collections.abc import Mapping
from types import EllipsisType
from typing import Any, ClassVar, Generic, TypeVar

from replicate_kit._calls import Call, Flow
from replicate_kit._methods import Engine, Item, ItemFlow, Items, M, ready
from replicate_kit._refs import split_name
from replicate_kit.types import Binding, Page, _Object, page_from

ObjT = TypeVar("ObjT", bound=_Object)
#: ``...`` for the first page, a ``next`` URL for another; None is the end and refused.
Cursor = str | EllipsisType | None
WaitOption = bool | int | float | None
#: What a raw ``iter`` suggests instead.
PAGES = "with_raw_response.{resource}.list(cursor), one page at a time"


class Resource(Generic[M]):
    """A group of API methods (``client.predictions``) in one mode (blocking, awaiting, raw)."""

    #: The name under the client, used in messages.
    _name: ClassVar[str] = ""

    def __init__(self, core: Binding, mode: type[M]) -> None:
        self._core = core
        self._mode = mode

    def _engine(self) -> Engine:
        return self._core


def one(call: Call, cls: type[ObjT], core: Binding) -> Flow[ObjT]:
    """One call answered by one object."""
    data = yield call
    return cls.from_dict(data, core)


def page(call: Call, cursor: Cursor, cls: type[ObjT], core: Binding) -> Flow[Page[ObjT]]:
    """One page of a list call; ``cursor`` is ``...`` (first page) or a ``next`` URL."""
    if cursor is None:
        raise ValueError("cursor cannot be None (the last page has no next cursor)")
    if isinstance(cursor, str):
        call = Call(call.op, url=cursor)
    data = yield call
    return page_from(data, cls, core)


def done(call: Call) -> Flow[bool]:
    """A call answered with no content (deletes)."""
    yield call
    return True


def every(call: Call, cls: type[ObjT], core: Binding) -> Flow[Items[ObjT]]:
    """Every result of a list call, fetching pages as iteration needs them."""

    def items() -> ItemFlow[ObjT]:
        cursor: Cursor = ...
        while cursor is not None:
            found = yield from page(call, cursor, cls, core)
            for result in found.results:
                yield Item(result)
            cursor = found.next

    return (yield from ready(Items(core, items)))


def model_path(args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> dict[str, str]:
    """Accept ``("owner/name")``, ``("owner", "name")`` or ``model_owner=/model_name=``."""
    if len(args) == 1 and not kwargs:
        owner, name = split_name(str(args[0]))
    elif len(args) == 2:
        owner, name = str(args[0]), str(args[1])
    elif "model_owner" in kwargs and "model_name" in kwargs:
        owner, name = str(kwargs["model_owner"]), str(kwargs["model_name"])
    elif "key" in kwargs:
        owner, name = split_name(str(kwargs["key"]))
    else:
        raise ValueError("Expected 'owner/name' or owner, name")
    return {"model_owner": owner, "model_name": name}


def text(value: Any) -> str:
    """A text body as ``str`` (transports may hand back bytes)."""
    if isinstance(value, bytes):
        return value.decode()
    return "" if value is None else str(value)
