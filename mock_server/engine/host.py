"""What the rule modules (deployments, trainings, model admin, example mode, hardware) need of
the engine, as a Protocol: they sit below `core` and never import it, so the engine's modules
form a DAG (checked by import-linter) while `Engine` satisfies this structurally."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from mock_server.engine.accounts import Account, Accounts
from mock_server.engine.catalogue import Catalogue, Model, Version
from mock_server.engine.deployment_store import Deployments
from mock_server.engine.files import FileStore
from mock_server.engine.jobs import Job
from mock_server.engine.runners import Plan, RunContext


class Settings(Protocol):
    """The engine configuration the rules read."""

    @property
    def examples(self) -> bool: ...


class Host(Protocol):
    @property
    def config(self) -> Settings: ...
    @property
    def accounts(self) -> Accounts: ...
    @property
    def catalogue(self) -> Catalogue: ...
    @property
    def deployments(self) -> Deployments: ...
    @property
    def files(self) -> FileStore: ...
    @property
    def jobs(self) -> Mapping[str, Job]: ...
    @property
    def jobs_by_account(self) -> Mapping[str, Sequence[Job]]: ...

    def now(self) -> float: ...

    def changed(self) -> None:
        """Record a state change made outside the engine's own methods (wakes waiters)."""

    def get_model(self, owner: str, name: str, viewer: str | None) -> Model: ...

    def start_job(
        self,
        account: Account,
        model: Model,
        version: Version,
        raw_input: dict[str, Any],
        run_input: dict[str, Any],
        *,
        kind: str,
        runner: Callable[[RunContext], Plan],
        route: str,
        cancel_after: float | None = None,
        webhook: str | None = None,
        webhook_events_filter: list[str] | None = None,
        webhook_completed: str | None = None,
        deployment: str | None = None,
        extra: dict[str, Any] | None = None,
        job_id: str | None = None,
    ) -> Job: ...
