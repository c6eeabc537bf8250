"""Ambiguous creates, reconciled: the same rule as the TypeScript client (ts/src/reconcile.ts).

The API has no idempotency key. When a create's outcome is unknown (the connection broke or
timed out after the request left, or the server answered 500/502/504), the client looks before
it sends again: it lists what the account created since just before the request and adopts
the newest object with the same target and input that this client has not handed out already.
Only when there is none does it create again.

Race window: an identical create from another client on the same account (or one of this
client's whose answer is still on its way) inside the window can be adopted instead. Such
twins ran the same model on the same input, so the caller still gets a correct result.

Written as a flow (see :mod:`replicate_kit._calls`), so the blocking and awaiting clients, both
transports and the raw forms share it; the only state is per client, guarded by a lock because
one client may serve many threads.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from replicate_kit._calls import Call, Flow, Sleep
from replicate_kit._retry import RetryBudget, RetryPolicy
from replicate_kit.exceptions import APIConnectionError, ReplicateError, ReplicateException

log = logging.getLogger("replicate_kit")

#: Ids remembered as handed out, so two ambiguous creates never adopt the same object.
REMEMBERED = 10_000


@dataclass(frozen=True)
class Wanted:
    """What a create asked for: the object that answers it has these (where the server says)."""

    input: Mapping[str, Any]
    #: ``owner/name``
    model: str | None = None
    #: A version id (``owner/name:id`` is compared by its id).
    version: str | None = None
    #: ``owner/name`` of a deployment; objects made without one must not name one.
    deployment: str | None = None


class Reconciler:
    """Sends creates, reconciling those whose outcome is unknown (one per client)."""

    def __init__(
        self,
        policy: RetryPolicy,
        *,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._policy = policy
        self._clock = clock
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._handed_out: OrderedDict[str, None] = OrderedDict()
        # Server clock minus ours: the least ``created_at - sent`` seen on this client's
        # creates. Each is the true offset plus the request's transit, so the least is the
        # closest, and an estimate that errs early only widens the search.
        self._offset: float | None = None

    def create(self, call: Call, wanted: Wanted) -> Flow[Any]:
        """Send ``call`` (a create); returns the created object's JSON, made or found."""
        policy = self._policy
        # One budget for the whole create: its own retries (429, 503, unsent) and the re-sends.
        budget = policy.budget(self._monotonic)
        call = replace(call, budget=budget)
        while True:
            sent_at = self._clock()
            try:
                created = yield call
            except ReplicateException as error:
                if not (policy.reconcile and policy.outcome_unknown(error)):
                    raise
                found = yield from self._find(call, wanted, sent_at, budget, error)
                if found is not None:
                    return found
                # Nothing was created: sending again cannot duplicate.
                delay = policy.delay(error, budget.used)
                if not budget.allows(delay):
                    raise
                budget.used += 1
                log.debug("%s did not happen (%s): creating again", call.op, type(error).__name__)
                yield Sleep(delay)
                continue
            if isinstance(created, Mapping):
                self._learn_clock(created, sent_at)
                self._claim(created.get("id"))
            return created

    def _find(
        self, create: Call, wanted: Wanted, sent_at: float, budget: RetryBudget, lost: Exception
    ) -> Flow[Mapping[str, Any] | None]:
        """The object the lost request created, or None when there is none."""
        collection = "trainings" if create.op == "trainings.create" else "predictions"
        since = sent_at + (self._offset or 0.0) - self._policy.clock_skew
        # Predictions filter by creation time on the server; trainings are cut off here.
        query = {"created_after": _iso(since)} if collection == "predictions" else {}
        listing = Call(f"{collection}.list", query=query)
        try:
            for _ in range(self._policy.reconcile_pages):
                # Each page has its own attempts, within the create's deadline.
                page_budget = RetryBudget(self._policy.max_retries, budget.deadline, budget.clock)
                page = yield replace(listing, budget=page_budget)
                results = page.get("results") if isinstance(page, Mapping) else None
                for item in results or ():
                    created_at = _instant(item.get("created_at"))
                    # Newest first: past the window nothing further can be ours.
                    if created_at is not None and created_at < since:
                        return None
                    if _same_request(item, wanted) and self._claim(item.get("id")):
                        log.debug("%s adopted %s after %s", create.op, item.get("id"), lost)
                        return dict(item)
                next_url = page.get("next") if isinstance(page, Mapping) else None
                if not next_url:
                    return None
                listing = Call(listing.op, url=str(next_url))
        except (ReplicateError, APIConnectionError):
            # Not knowing is no licence to create again: the create's own failure stands.
            raise lost from None
        return None

    def _learn_clock(self, created: Mapping[str, Any], sent_at: float) -> None:
        at = _instant(created.get("created_at"))
        if at is None:
            return
        with self._lock:
            offset = at - sent_at
            if self._offset is None or offset < self._offset:
                self._offset = offset

    def _claim(self, id: Any) -> bool:
        """Mark ``id`` handed out; False if it was already (by another call of this client)."""
        if not isinstance(id, str) or not id:
            return False
        with self._lock:
            if id in self._handed_out:
                return False
            self._handed_out[id] = None
            if len(self._handed_out) > REMEMBERED:
                self._handed_out.popitem(last=False)
            return True


def _same_request(item: Mapping[str, Any], wanted: Wanted) -> bool:
    """Same target (model and version where the server reports them), same input."""
    version = item.get("version")
    if wanted.version and version and _version_id(str(version)) != _version_id(wanted.version):
        return False
    model = item.get("model")
    if wanted.model and model and model != wanted.model:
        return False
    if (item.get("deployment") or None) != wanted.deployment:
        return False
    return _canonical(item.get("input")) == _canonical(wanted.input)


def _version_id(version: str) -> str:
    return version.rsplit(":", 1)[-1]


def _canonical(value: Any) -> str:
    # Key order aside, and 3 == 3.0: a JSON number may come back as a float (gRPC's Struct).
    return json.dumps(_numbers(value), sort_keys=True, separators=(",", ":"))


def _numbers(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Mapping):
        return {str(k): _numbers(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_numbers(v) for v in value]
    return value


def _iso(instant: float) -> str:
    return (
        datetime.fromtimestamp(instant, UTC)
        .isoformat(timespec="microseconds")
        .replace("+00:00", "Z")
    )


def _instant(value: Any) -> float | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None
