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
    cast,
    final,
    overload,
)

from replicate_kit._calls import Call, Flow, Sleep, call
from replicate_kit._raw import RawResponse, not_raw, recording, respond

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")
X = TypeVar("X")
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


def _blocking(
    mode: type[Mode], flow: FlowMethod[P, Any], then: Callable[[Any, Any, bool], Any]
) -> Callable[..., Any]:
    def form(owner: Driven[Any], /, *args: Any, **kwargs: Any) -> Any:
        engine = owner._engine()
        if not mode.raw:
            return then(owner, engine.execute(flow(owner, *args, **kwargs)), False)
        with recording() as record:
            parsed = then(owner, engine.execute(flow(owner, *args, **kwargs)), False)
        return respond(record, parsed)

    return form


def _awaited(
    mode: type[Mode], flow: FlowMethod[P, Any], then: Callable[[Any, Any, bool], Any]
) -> Callable[..., Any]:
    async def form(owner: Driven[Any], /, *args: Any, **kwargs: Any) -> Any:
        engine = owner._engine()
        if not mode.raw:
            return then(owner, await engine.aexecute(flow(owner, *args, **kwargs)), True)
        with recording() as record:
            parsed = then(owner, await engine.aexecute(flow(owner, *args, **kwargs)), True)
        return respond(record, parsed)

    return form


def _as_is(owner: Any, result: Any, awaited: bool) -> Any:
    return result


class _Derived:
    """The forms of one method, built on first use per mode."""

    def __init__(self, flow: Callable[..., Any], instead: str | None = None) -> None:
        self._flow = flow
        self.__doc__ = flow.__doc__
        self._name = flow.__name__
        #: Set for methods that make several calls: what their refused raw form suggests.
        self._instead = instead
        self._forms: dict[tuple[type[Mode], bool], Callable[..., Any]] = {}

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
        raise NotImplementedError


def _refusal(name: str, instead: str) -> Callable[..., Any]:
    def refuse(owner: Any, /, *args: Any, **kwargs: Any) -> NoReturn:
        resource = getattr(owner, "_name", "")
        prefix = f"{resource}." if resource else ""
        not_raw(f"{prefix}{name}()", instead.format(resource=resource))

    return refuse


class method(_Derived, Generic[P, R]):
    """A method written once as a flow (see the module docstring).

    Example::

        class Predictions(Resource[M]):
            @method
            def get(self, id: str) -> Flow[Prediction]:
                \"\"\"Fetch a prediction by id.\"\"\"
                return one(Call("predictions.get", path={"prediction_id": id}), Prediction, self)

            async_get = get.async_form()
    """

    def __init__(self, flow: FlowMethod[P, R]) -> None:
        super().__init__(flow)
        self._then: Callable[[Any, Any, bool], Any] = _as_is

    @property
    def flow(self) -> FlowMethod[P, R]:
        """The flow this method is written as (for methods that build on it)."""
        return self._flow

    def _build(self, mode: type[Mode]) -> Callable[..., Any]:
        make = _awaited if mode.awaits else _blocking
        return make(mode, self._flow, self._then)

    def async_form(self) -> AsyncForm[P, R]:
        """The ``async_`` name of this method: awaitable on every kind of instance."""
        return AsyncForm(self)

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Self: ...

    @overload
    def __get__(self, instance: Driven[Blocking], owner: type[Any]) -> Callable[P, R]: ...

    @overload
    def __get__(
        self, instance: Driven[Awaiting], owner: type[Any]
    ) -> Callable[P, Coroutine[Any, Any, R]]: ...

    @overload
    def __get__(
        self, instance: Driven[RawBlocking], owner: type[Any]
    ) -> Callable[P, RawResponse[R]]: ...

    @overload
    def __get__(
        self, instance: Driven[RawAwaiting], owner: type[Any]
    ) -> Callable[P, Coroutine[Any, Any, RawResponse[R]]]: ...

    def __get__(self, instance: Driven[Any] | None, owner: type[Any]) -> Any:
        if instance is None:
            return self
        return self._bind(instance, False)


def finishing(
    then: Callable[[Any, X, bool], R], *, instead: str
) -> Callable[[FlowMethod[P, X]], method[P, R]]:
    """A :func:`method` whose flow's result is finished by ``then(self, result, awaited)``.

    For results consumed differently when awaited (``run()``'s iterator outputs). Such a
    method makes several calls: its raw form raises ``TypeError`` suggesting ``instead``.
    """

    def decorate(flow: FlowMethod[P, X]) -> method[P, R]:
        derived = method(flow)
        derived._then = then
        derived._instead = instead
        return cast(method[P, R], derived)

    return decorate


class AsyncForm(Generic[P, R]):
    """``async_<name>``: a method's awaiting form, on blocking and awaiting instances alike."""

    def __init__(self, source: method[P, R]) -> None:
        self._source = source
        self.__doc__ = f"Async :meth:`{source._name}`."

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Self: ...

    @overload
    def __get__(
        self, instance: Driven[Blocking] | Driven[Awaiting], owner: type[Any]
    ) -> Callable[P, Coroutine[Any, Any, R]]: ...

    @overload
    def __get__(
        self, instance: Driven[RawBlocking] | Driven[RawAwaiting], owner: type[Any]
    ) -> Callable[P, Coroutine[Any, Any, RawResponse[R]]]: ...

    def __get__(self, instance: Driven[Any] | None, owner: type[Any]) -> Any:
        if instance is None:
            return self
        return self._source._bind(instance, True)


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
        flow = self._make()
        sent: Any = None
        while True:
            try:
                effect = flow.send(sent)
            except StopIteration:
                return
            if isinstance(effect, Item):
                sent = None
                yield effect.value
            else:
                sent = self._engine.execute(
                    call(effect) if isinstance(effect, Call) else _nap(effect)
                )

    async def __aiter__(self) -> AsyncIterator[T]:
        flow = self._make()
        sent: Any = None
        while True:
            try:
                effect = flow.send(sent)
            except StopIteration:
                return
            if isinstance(effect, Item):
                sent = None
                yield effect.value
            else:
                step = call(effect) if isinstance(effect, Call) else _nap(effect)
                sent = await self._engine.aexecute(step)


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


class iterator(_Derived, Generic[P, T]):
    """A method yielding items over several calls, written once as a flow returning a Feed.

    Blocking: the flow runs at once and an iterator is returned. Awaiting and ``async_``:
    an :class:`AwaitableAsyncIterator` that runs the flow when iterated. Raw: ``TypeError``
    naming ``instead`` (``{resource}`` is replaced by the resource's name).
    """

    def __init__(self, flow: FlowMethod[P, Feed[T]], instead: str) -> None:
        super().__init__(flow, instead)

    @property
    def flow(self) -> FlowMethod[P, Feed[T]]:
        """The flow this method is written as (for methods that build on it)."""
        return self._flow

    def _build(self, mode: type[Mode]) -> Callable[..., Any]:
        flow = self._flow
        if mode.awaits:

            def start(owner: Driven[Any], /, *args: Any, **kwargs: Any) -> Any:
                async def items() -> AsyncIterator[Any]:
                    feed = await owner._engine().aexecute(flow(owner, *args, **kwargs))
                    async for item in feed:
                        yield item

                return AwaitableAsyncIterator(items())

            return start

        def run(owner: Driven[Any], /, *args: Any, **kwargs: Any) -> Any:
            return iter(owner._engine().execute(flow(owner, *args, **kwargs)))

        return run

    def async_form(self) -> AsyncIterForm[P, T]:
        """The ``async_`` name of this method."""
        return AsyncIterForm(self)

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Self: ...

    @overload
    def __get__(self, instance: Driven[Blocking], owner: type[Any]) -> Callable[P, Iterator[T]]: ...

    @overload
    def __get__(
        self, instance: Driven[Awaiting], owner: type[Any]
    ) -> Callable[P, AwaitableAsyncIterator[T]]: ...

    @overload
    def __get__(
        self, instance: Driven[RawBlocking] | Driven[RawAwaiting], owner: type[Any]
    ) -> Callable[..., NoReturn]: ...

    def __get__(self, instance: Driven[Any] | None, owner: type[Any]) -> Any:
        if instance is None:
            return self
        return self._bind(instance, False)


def iterating(instead: str) -> Callable[[FlowMethod[P, Feed[T]]], iterator[P, T]]:
    """Decorator: an :class:`iterator` method whose raw form suggests ``instead``."""

    def decorate(flow: FlowMethod[P, Feed[T]]) -> iterator[P, T]:
        return iterator(flow, instead)

    return decorate


class AsyncIterForm(Generic[P, T]):
    """``async_<name>`` of an :class:`iterator` method."""

    def __init__(self, source: iterator[P, T]) -> None:
        self._source = source
        self.__doc__ = f"Async :meth:`{source._name}`."

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Self: ...

    @overload
    def __get__(
        self, instance: Driven[Blocking] | Driven[Awaiting], owner: type[Any]
    ) -> Callable[P, AwaitableAsyncIterator[T]]: ...

    @overload
    def __get__(
        self, instance: Driven[RawBlocking] | Driven[RawAwaiting], owner: type[Any]
    ) -> Callable[..., NoReturn]: ...

    def __get__(self, instance: Driven[Any] | None, owner: type[Any]) -> Any:
        if instance is None:
            return self
        return self._source._bind(instance, True)
