"""Methods written once, as flows; their blocking, awaiting and raw forms are derived.

A resource method (``client.predictions.get``) or object method (``prediction.wait``) is
one generator function that yields :class:`~replicate_kit._calls.Call` effects (see
:mod:`replicate_kit._calls`). :func:`method` makes it a descriptor whose form depends on the
*mode* of the instance it is read from, a type parameter of the resource:

- :class:`Blocking` (``Client``): the call blocks and returns the result;
- :class:`Awaiting` (``AsyncClient``): a coroutine function under the same name;
- :class:`RawBlocking` / :class:`RawAwaiting` (``with_raw_response``): the same, returning a
  :class:`~replicate_kit._raw.RawResponse`.

``async_get = get.async_form()`` names the awaiting form on any instance, like the official
client's ``async_`` methods. :func:`iterator` does the same for methods that yield items
over several calls (``iter``, ``stream``): an iterator, or an async iterator that may also be
awaited first; they make several calls, so their raw forms raise ``TypeError``.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable, Coroutine, Generator, Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from typing import (
    Any,
    ClassVar,
    Concatenate,
    Generic,
    NoReturn,
    ParamSpec,
    Protocol,
    Self,
    TypeVar,
    final,
    overload,
)

from replicate_kit._calls import Call, Flow, Sleep, call
from replicate_kit._raw import RawResponse, not_raw, recording, respond

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")
X = TypeVar("X")
B = TypeVar("B")
A = TypeVar("A")
RB = TypeVar("RB")
RA = TypeVar("RA")
T_co = TypeVar("T_co", covariant=True)
M = TypeVar("M", bound="Mode")
M_co = TypeVar("M_co", bound="Mode", covariant=True)


class Mode:
    """How an instance's methods run (a type parameter of every resource)."""

    awaits: ClassVar[bool] = False
    raw: ClassVar[bool] = False


@final
class Blocking(Mode):
    """Methods block and return their result (``Client``)."""


@final
class Awaiting(Mode):
    """Methods are coroutine functions (``AsyncClient``)."""

    awaits = True


@final
class RawBlocking(Mode):
    """Methods block and return a ``RawResponse`` (``client.with_raw_response``)."""

    raw = True


@final
class RawAwaiting(Mode):
    """Coroutine functions returning a ``RawResponse`` (``async_client.with_raw_response``)."""

    awaits = True
    raw = True


def _awaiting(mode: type[Mode]) -> type[Mode]:
    # The mode of an ``async_`` form: the same rawness, awaited.
    return RawAwaiting if mode.raw else Awaiting


class Engine(Protocol):
    """What runs flows: :class:`~replicate_kit._core.Core`."""

    def execute(self, flow: Flow[T]) -> T:
        """Run a flow to completion, blocking."""
        ...

    async def aexecute(self, flow: Flow[T]) -> T:
        """Run a flow to completion on the event loop."""
        ...


class Driven(Protocol[M_co]):
    """An instance whose methods are derived here: a resource or a result object."""

    @property
    def _mode(self) -> type[M_co]: ...

    def _engine(self) -> Engine: ...


#: What a method is written as: a flow function of the instance and the call's arguments.
FlowMethod = Callable[Concatenate[Any, P], Flow[R]]


def _as_is(owner: Any, result: Any, awaited: bool) -> Any:
    return result


def _refusal(name: str, instead: str) -> Callable[..., Any]:
    def refuse(owner: Any, /, *args: Any, **kwargs: Any) -> NoReturn:
        resource = getattr(owner, "_name", "")
        prefix = f"{resource}." if resource else ""
        not_raw(f"{prefix}{name}()", instead.format(resource=resource))

    return refuse


class Derived(Generic[P, X, B, A, RB, RA]):
    """A method written once as a flow (``X`` its result), and the forms derived from it.

    Read from an instance, it is the form of the instance's mode: a callable taking ``P`` and
    returning ``B`` (blocking), ``A`` (awaiting), ``RB`` or ``RA`` (raw). Made by
    :func:`method`, :func:`finishing` and :func:`iterating`; forms are built on first use.
    """

    def __init__(
        self,
        flow: FlowMethod[P, X],
        *,
        then: Callable[[Any, Any, bool], Any] = _as_is,
        iterates: bool = False,
        instead: str | None = None,
    ) -> None:
        self._flow = flow
        self.__doc__ = flow.__doc__
        self._name = flow.__name__
        #: ``then(self, result, awaited)`` finishes the flow's result (``run()``'s outputs).
        self._then = then
        #: The flow returns a :class:`Feed` to iterate, not the result.
        self._iterates = iterates
        #: Set for methods that make several calls: what their refused raw form suggests.
        self._instead = instead
        self._forms: dict[tuple[type[Mode], bool], Callable[..., Any]] = {}

    @property
    def flow(self) -> FlowMethod[P, X]:
        """The flow this method is written as (for methods that build on it)."""
        return self._flow

    def async_form(self) -> AsyncName[P, A, RA]:
        """The ``async_`` name of this method: its awaiting form on every kind of instance."""
        return AsyncName(self)

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Self: ...

    @overload
    def __get__(self, instance: Driven[Blocking], owner: type[Any]) -> Callable[P, B]: ...

    @overload
    def __get__(self, instance: Driven[Awaiting], owner: type[Any]) -> Callable[P, A]: ...

    @overload
    def __get__(self, instance: Driven[RawBlocking], owner: type[Any]) -> Callable[P, RB]: ...

    @overload
    def __get__(self, instance: Driven[RawAwaiting], owner: type[Any]) -> Callable[P, RA]: ...

    def __get__(self, instance: Driven[Any] | None, owner: type[Any]) -> Any:
        if instance is None:
            return self
        return self._bind(instance, False)

    def _bind(self, instance: Driven[Any], async_form: bool) -> Callable[..., Any]:
        mode = instance._mode
        key = (mode, async_form)
        form = self._forms.get(key)
        if form is None:
            form_mode = _awaiting(mode) if async_form else mode
            if form_mode.raw and self._instead is not None:
                form = _refusal(self._name, self._instead)
            else:
                form = self._build(form_mode)
            functools.update_wrapper(form, self._flow)
            form.__name__ = f"async_{self._name}" if async_form else self._name
            form.__doc__ = f"Async :meth:`{self._name}`." if async_form else self.__doc__
            self._forms[key] = form
        return form.__get__(instance)  # type: ignore[no-any-return]

    def _build(self, mode: type[Mode]) -> Callable[..., Any]:
        flow, then = self._flow, self._then
        if self._iterates and mode.awaits:

            def start(owner: Driven[Any], /, *args: Any, **kwargs: Any) -> Any:
                async def items() -> AsyncIterator[Any]:
                    feed: Any = await owner._engine().aexecute(flow(owner, *args, **kwargs))
                    async for item in feed:
                        yield item

                return AwaitableAsyncIterator(items())

            return start
        if self._iterates:
            return lambda owner, /, *a, **k: iter(owner._engine().execute(flow(owner, *a, **k)))
        if mode.awaits:

            async def awaited(owner: Driven[Any], /, *args: Any, **kwargs: Any) -> Any:
                with recording() if mode.raw else nullcontext() as record:
                    result = await owner._engine().aexecute(flow(owner, *args, **kwargs))
                    finished = then(owner, result, True)
                return finished if record is None else respond(record, finished)

            return awaited

        def blocking(owner: Driven[Any], /, *args: Any, **kwargs: Any) -> Any:
            with recording() if mode.raw else nullcontext() as record:
                finished = then(owner, owner._engine().execute(flow(owner, *args, **kwargs)), False)
            return finished if record is None else respond(record, finished)

        return blocking


class AsyncName(Generic[P, A, RA]):
    """``async_<name>``: a method's awaiting form, on blocking and awaiting instances alike."""

    def __init__(self, source: Derived[P, Any, Any, A, Any, RA]) -> None:
        self._source = source
        self.__doc__ = f"Async :meth:`{source._name}`."

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Self: ...

    @overload
    def __get__(
        self, instance: Driven[Blocking] | Driven[Awaiting], owner: type[Any]
    ) -> Callable[P, A]: ...

    @overload
    def __get__(
        self, instance: Driven[RawBlocking] | Driven[RawAwaiting], owner: type[Any]
    ) -> Callable[P, RA]: ...

    def __get__(self, instance: Driven[Any] | None, owner: type[Any]) -> Any:
        if instance is None:
            return self
        return self._source._bind(instance, True)


def method(
    flow: FlowMethod[P, R],
) -> Derived[P, R, R, Coroutine[Any, Any, R], RawResponse[R], Coroutine[Any, Any, RawResponse[R]]]:
    """Decorator: a method making one API call, written once as a flow (see the module docstring).

    Example::

        class Predictions(Resource[M]):
            @method
            def get(self, id: str) -> Flow[Prediction]:
                \"\"\"Fetch a prediction by id.\"\"\"
                return (yield from one(Call("predictions.get", path={"prediction_id": id}), ...))

            async_get = get.async_form()
    """
    return Derived(flow)


def finishing(
    then: Callable[[Any, X, bool], R], *, instead: str
) -> Callable[[FlowMethod[P, X]], Derived[P, X, R, Coroutine[Any, Any, R], NoReturn, NoReturn]]:
    """Decorator: a method whose flow's result is finished by ``then(self, result, awaited)``.

    For results consumed differently when awaited (``run()``'s iterator outputs). Such a
    method makes several calls: its raw form raises ``TypeError`` suggesting ``instead``.
    """

    def decorate(
        flow: FlowMethod[P, X],
    ) -> Derived[P, X, R, Coroutine[Any, Any, R], NoReturn, NoReturn]:
        return Derived(flow, then=then, instead=instead)

    return decorate


def iterating(
    instead: str,
) -> Callable[
    [FlowMethod[P, Feed[T]]],
    Derived[P, Feed[T], Iterator[T], AwaitableAsyncIterator[T], NoReturn, NoReturn],
]:
    """Decorator: a method yielding items over several calls, written once as a flow
    returning a :class:`Feed`.

    Blocking: the flow runs at once and an iterator is returned. Awaiting and ``async_``:
    an :class:`AwaitableAsyncIterator` that runs the flow when iterated. Raw: ``TypeError``
    suggesting ``instead`` (``{resource}`` is replaced by the resource's name).
    """

    def decorate(
        flow: FlowMethod[P, Feed[T]],
    ) -> Derived[P, Feed[T], Iterator[T], AwaitableAsyncIterator[T], NoReturn, NoReturn]:
        return Derived(flow, iterates=True, instead=instead)

    return decorate


class local(Generic[P, R]):
    """A method that makes no API call: the same function in every mode, refused under raw."""

    def __init__(self, function: Callable[P, R], *, refusal: str) -> None:
        self._function = function
        self._refusal = refusal
        self.__doc__ = function.__doc__

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError(self._refusal)

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Callable[P, R]: ...

    @overload
    def __get__(
        self, instance: Driven[Blocking] | Driven[Awaiting], owner: type[Any]
    ) -> Callable[P, R]: ...

    @overload
    def __get__(
        self, instance: Driven[RawBlocking] | Driven[RawAwaiting], owner: type[Any]
    ) -> Callable[..., NoReturn]: ...

    def __get__(self, instance: Driven[Any] | None, owner: type[Any]) -> Any:
        if instance is not None and instance._mode.raw:
            return self._refuse
        return self._function


# -- several calls, yielding items ----------------------------------------------------------


@dataclass(frozen=True)
class Item(Generic[T]):
    """Yielded by an item flow: hand ``value`` to whoever iterates."""

    value: T


#: A flow that also yields :class:`Item` values: an iterator over several calls.
ItemFlow = Generator[Call | Sleep | Item[T], Any, None]


class Feed(Protocol[T_co]):
    """What an iterator method's flow returns: something to iterate either way."""

    def __iter__(self) -> Iterator[T_co]: ...

    def __aiter__(self) -> AsyncIterator[T_co]: ...


class Items(Generic[T]):
    """A :class:`Feed` of an item flow, driven by an engine (pagination, output polling)."""

    def __init__(self, engine: Engine, make: Callable[[], ItemFlow[T]]) -> None:
        self._engine = engine
        self._make = make

    def __iter__(self) -> Iterator[T]:
        steps = _Steps(self._make())
        for item, flow in steps:
            if flow is None:
                yield item
            else:
                steps.answer(self._engine.execute(flow))

    async def __aiter__(self) -> AsyncIterator[T]:
        steps = _Steps(self._make())
        for item, flow in steps:
            if flow is None:
                yield item
            else:
                steps.answer(await self._engine.aexecute(flow))


class _Steps(Generic[T]):
    """An item flow as ``(item, None)`` or ``(None, flow to run)`` steps; answers go back in."""

    def __init__(self, flow: ItemFlow[T]) -> None:
        self._flow = flow
        self._answer: Any = None

    def __iter__(self) -> Iterator[tuple[Any, Flow[Any] | None]]:
        while True:
            try:
                effect = self._flow.send(self._answer)
            except StopIteration:
                return
            self._answer = None
            if isinstance(effect, Item):
                yield effect.value, None
            else:
                yield None, call(effect) if isinstance(effect, Call) else _nap(effect)

    def answer(self, result: Any) -> None:
        self._answer = result


def _nap(sleep: Sleep) -> Flow[None]:
    yield sleep


def ready(value: T) -> Flow[T]:
    """A flow that makes no call and returns ``value`` (a feed fetched when iterated)."""
    yield from ()
    return value


class AwaitableAsyncIterator(Generic[T]):
    """Works both as ``async for x in it`` and ``async for x in await it`` (official style)."""

    def __init__(self, iterator: AsyncIterator[T]) -> None:
        self._iterator = iterator

    def __aiter__(self) -> AsyncIterator[T]:
        return self._iterator

    def __await__(self) -> Generator[Any, None, AsyncIterator[T]]:
        async def _self() -> AsyncIterator[T]:
            return self._iterator

        return _self().__await__()
