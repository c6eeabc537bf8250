"""The engine: all mock state plus the rules that move it along the clock.

Not thread-safe by itself: adapters hold ``engine.lock`` around every call.

Extending it with a resource (files, trainings, webhooks, ...):
- keep the resource's state in its own module and create it in `Engine.reset` (one line);
- run something later on the clock with `Engine.call_at(instant, callback)`;
- observe jobs with `Engine.listeners` (called with ``(job, event)``, event one of
  ``created``, ``start``, ``output``, ``logs``, ``completed``); a listener that only cares about
  jobs with a webhook says so with `jobs.webhook_jobs_only`;
- trainings are jobs too: `Engine.start_job(kind="training", runner=version.training_runner, ...)`;
  `trainings.complete_training` publishes the new version when one succeeds;
- webhooks: a listener feeds `Engine.webhooks` (a pure outbox); `mock_server.delivery.webhooks`
  sends what it says is due.
"""

from __future__ import annotations

import base64
import dataclasses
import heapq
import re
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mock_server.engine import builtin_models, examples, input_files, scripted
from mock_server.engine.accounts import Account, Accounts
from mock_server.engine.blobs import BlobStore
from mock_server.engine.catalogue import Catalogue, Model, Version
from mock_server.engine.clock import Clock, ClockMode, isoformat
from mock_server.engine.deployment_store import Deployments
from mock_server.engine.errors import ApiError, not_found, unprocessable
from mock_server.engine.faults import Faults
from mock_server.engine.files import DEFAULT_FILE_TTL, DEFAULT_MAX_FILE_SIZE, FileStore
from mock_server.engine.ids import IdGenerator
from mock_server.engine.jobs import FileRef, Job, watches_every_job
from mock_server.engine.journal import Journal
from mock_server.engine.ratelimit import DEFAULT_LIMITS, RateLimiter
from mock_server.engine.runners import MISSING, Blob, Plan, RunContext, Runner, Step, is_input_only
from mock_server.engine.trainings import complete_training
from mock_server.engine.webhooks import WebhookOutbox
from mock_server.engine.webhooks import listener as webhook_listener

Listener = Callable[[Job, str], None]
Timer = Callable[[float], None]

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_MAX_PLANS = 1024
# Input values a remembered plan may be keyed by: equal values of these types give equal plans
# (floats are left out: 0.0 == -0.0, yet they print differently).
_KEY_TYPES = (str, int, bool, type(None))


def _invalid_version() -> ApiError:
    return unprocessable(
        "Invalid version or not permitted",
        "The specified version does not exist (or perhaps you don't have permission to use it?)",
    )


def _only_scalars(output: Any, steps: tuple[Step, ...]) -> bool:
    """Whether a plan's output and step values are all scalars (strings, numbers, ...): then
    ``_store_files`` has neither a file to store nor a container to copy."""
    containers = (Blob, list, dict)
    return not isinstance(output, containers) and not any(
        isinstance(step.value, containers) for step in steps
    )


def _plan_key(
    runner: Runner, run_input: dict[str, Any]
) -> tuple[Runner, tuple[tuple[str, type, Any], ...]] | None:
    """What a remembered plan is found by, when the runner's plan depends on its input alone."""
    if not is_input_only(runner):
        return None
    items: list[tuple[str, type, Any]] = []
    for name, value in run_input.items():
        kind = type(value)
        if kind not in _KEY_TYPES:
            return None
        items.append((name, kind, value))  # the type too: True == 1, yet they print apart
    return runner, tuple(items)


@dataclass
class EngineConfig:
    seed: int = 0
    clock: ClockMode = "auto"
    speed: float = 1.0
    tokens: list[str] | None = None
    page_size: int = 100
    keepalive_interval: float = 15.0
    fixtures: list[dict[str, Any] | str] = field(default_factory=list)
    rate_limits: dict[str, int] | None = field(default_factory=lambda: dict(DEFAULT_LIMITS))
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    file_ttl: float = DEFAULT_FILE_TTL
    public_url: str | None = None  # root for webhook payloads of jobs created outside HTTP
    allow_remote_webhooks: bool = False
    webhook_max_attempts: int = 5
    webhook_backoff: float = 1.0
    # Run after the fixtures on every reset: catalogue additions that must survive one
    # (replayed cassettes, see mock_server.record).
    extensions: list[Callable[[Engine], None]] = field(default_factory=list)
    # Example mode (see engine/examples.py): placeholders materialise, ownership is not checked.
    examples: bool = False


class Engine:
    def __init__(self, config: EngineConfig | None = None) -> None:
        self.config = config or EngineConfig()
        if self.config.page_size < 1:
            raise ValueError("page_size must be positive")
        self.lock = threading.RLock()
        self.clock = Clock(self.config.clock, self.config.speed)
        # Listeners survive resets: webhook delivery and other observers register once.
        self.listeners: list[Listener] = [webhook_listener(self)]
        # The listeners as last looked at, and whether one of them watches every job.
        self._seen_listeners: list[Listener] = []
        self._watch_all = False
        self.reset(self.config.seed)

    # ----------------------------------------------------------------- lifecycle
    def reset(self, seed: int | None = None) -> None:
        if seed is not None:
            self.config.seed = seed
        seed = self.config.seed
        self.clock = Clock(self.clock.mode, self.clock.speed)
        self.ids = IdGenerator(seed)
        self.accounts = Accounts(seed, self.config.tokens)
        self.catalogue = Catalogue()
        builtin_models.install(self.catalogue)
        self.blobs = BlobStore()
        self.deployments = Deployments()
        self.files = FileStore(seed, self.config.max_file_size, self.config.file_ttl)
        self.webhooks = WebhookOutbox(
            seed,
            self.call_at,
            allow_remote=self.config.allow_remote_webhooks,
            max_attempts=self.config.webhook_max_attempts,
            backoff=self.config.webhook_backoff,
        )
        self.journal = Journal()
        self.faults = Faults(seed)
        self.rate_limits = RateLimiter(self.config.rate_limits)
        self.create_counts: Counter[str] = Counter()
        # Plans of input-only runners by (runner, input): most creates repeat an input.
        self._plans: dict[tuple[Runner, tuple[tuple[str, type, Any], ...]], Plan] = {}
        self.jobs: dict[str, Job] = {}
        self.jobs_by_account: dict[str, list[Job]] = {}
        self._heap: list[tuple[float, int, str]] = []
        self._timers: list[tuple[float, int, Timer]] = []
        # Jobs nothing observes, applied when read (oldest first; some may have ended).
        self._lazy: list[Job] = []
        # The instant of the last settling: eager settling had every job as it was then.
        self._settled_at = self.clock.now()
        self._order = 0
        self._job_seq = 0
        self.generation = 0  # bumps on every state change; waiters poll it
        for fixture in self.config.fixtures:
            self.register_model(fixture)
        for extension in self.config.extensions:
            extension(self)

    def changed(self) -> None:
        """Note a state change made by a rule module (see `host.Host`): waiters poll ``generation``."""
        self.generation += 1

    def now(self) -> float:
        return self.clock.now()

    def now_iso(self) -> str:
        return isoformat(self.now())

    def advance(self, seconds: float) -> float:
        self.clock.advance(seconds)
        self.settle()
        return self.now()

    def settle(self) -> None:
        """Apply every planned action and timer due at or before now, on every job."""
        now = self.settle_watched()
        kept: list[Job] = []
        for job in self._lazy:
            if job.pending:
                self.generation += job.apply_due(now)
                if job.pending:
                    kept.append(job)
        self._lazy = kept

    def settle_watched(self) -> float:
        """Apply the timers and the actions of observed jobs due at or before now, in time order;
        return that instant.

        A job nothing observes (no webhook, not a training, no listener watching every job) is
        not applied here: its state is a function of its plan and the clock, so it is applied
        when it is read (`catch_up`, `get_job`, `list_jobs`, `settle`), with the same result.
        """
        now = self.clock.now()
        self._watching_all()  # a listener that has just appeared takes over the lazy jobs first
        if self._heap or self._timers:
            self._apply_watched(now)
        if now > self._settled_at:
            self._settled_at = now
        return now

    def _apply_watched(self, now: float) -> None:
        while True:
            job_due = self._heap[0][0] if self._heap and self._heap[0][0] <= now else None
            timer_due = self._timers[0][0] if self._timers and self._timers[0][0] <= now else None
            if job_due is None and timer_due is None:
                return
            if timer_due is not None and (job_due is None or timer_due <= job_due):
                at, _, callback = heapq.heappop(self._timers)
                callback(at)
                self.generation += 1
                continue
            at, _, job_id = heapq.heappop(self._heap)
            job = self.jobs.get(job_id)
            if job is None or job.next_at != at:
                continue  # stale entry: the job was canceled or already advanced
            notes = job.apply_next()
            if job.kind == "training" and job.terminal:
                complete_training(self, job)
            self._schedule(job)
            self.generation += 1
            for note in notes:
                self._notify(job, note)

    def catch_up(self, job: Job) -> None:
        """Apply what is due: the observed jobs' and timers' actions, then ``job``'s own."""
        now = self.settle_watched()
        if not job.observed and job.pending:
            self.generation += job.apply_due(now)

    def _watching_all(self) -> bool:
        """Whether some listener watches every job. When one has just appeared, the lazy jobs
        are brought to the last settling (as eager settling had them) and put on the clock, so
        the listener sees what happens to them from then on."""
        listeners = self.listeners
        if listeners != self._seen_listeners:
            self._seen_listeners = list(listeners)
            was = self._watch_all
            self._watch_all = any(watches_every_job(listener) for listener in listeners)
            if self._watch_all and not was:
                for job in self._lazy:
                    self.generation += job.apply_due(self._settled_at)
                    job.observed = True
                    self._schedule(job)
                self._lazy = []
        return self._watch_all

    def _observed(self, job: Job) -> bool:
        return job.has_webhook or job.kind != "prediction" or self._watching_all()

    def call_at(self, instant: float, callback: Timer) -> None:
        """Run ``callback(instant)`` once the clock reaches ``instant`` (for other resources)."""
        self._order += 1
        heapq.heappush(self._timers, (instant, self._order, callback))

    def _schedule(self, job: Job) -> None:
        at = job.next_at
        if at is not None:
            self._order += 1
            heapq.heappush(self._heap, (at, self._order, job.id))

    def _notify(self, job: Job, event: str) -> None:
        for listener in list(self.listeners):
            listener(job, event)

    def next_event_at(self) -> float | None:
        candidates = [self._heap[0][0]] if self._heap else []
        if self._timers:
            candidates.append(self._timers[0][0])
        candidates += [job.pending[0].at for job in self._lazy if job.pending]
        return min(candidates) if candidates else None

    # ------------------------------------------------------------------ accounts
    def authenticate(self, token: str | None) -> Account | None:
        return self.accounts.authenticate(token)

    # -------------------------------------------------------------------- models
    def register_model(self, spec: dict[str, Any] | str) -> Model:
        script = scripted.parse(spec)
        model = self.catalogue.get(script.owner, script.name)
        if model is None:
            model = Model(
                owner=script.owner,
                name=script.name,
                created_at=self.now(),
                seq=self.catalogue.next_seq(),
                description=script.description,
                visibility=script.visibility,
                is_official=script.official,
                hardware=script.hardware,
                readme=script.readme,
            )
            self.catalogue.add_model(model)
        else:
            model.description = script.description or model.description
            model.is_official = script.official or model.is_official
            model.readme = script.readme or model.readme
        version = Version(
            id=script.version,
            model=model.full_name,
            created_at=self.now(),
            openapi_schema=script.openapi_schema,
            runner=script.runner,
            origin={"script": spec},
        )
        self.catalogue.add_version(model, version)
        self.generation += 1
        return model

    def get_model(self, owner: str, name: str, viewer: str | None) -> Model:
        # Example mode waives ownership, and with it the privacy of another account's models.
        model = self.catalogue.get(owner, name, owner if self.config.examples else viewer)
        if model is None:
            raise not_found(f"The model {owner}/{name} does not exist")
        return model

    def resolve_version(self, ref: str, viewer: str | None) -> tuple[Model, Version]:
        """Resolve the ``version`` field of ``POST /predictions``."""
        if self.config.examples and viewer is not None:
            example = examples.resolve_version(self, viewer, ref)
            if example is not None:
                return example
        invalid = _invalid_version  # made when raised: building it was 1% of a create
        owner_name, _, version_id = ref.partition(":")
        if "/" in owner_name:
            owner, _, name = owner_name.partition("/")
            model = self.catalogue.get(owner, name, viewer)
            if model is None:
                raise invalid()
            if not version_id:
                if not model.is_official or model.latest_version is None:
                    raise invalid()
                return model, model.latest_version
            for version in model.versions:
                if version.id == version_id:
                    return model, version
            raise invalid()
        if version_id or not _HEX64.match(ref):
            raise invalid()
        found = self.catalogue.version(ref, viewer)
        if found is None:
            raise invalid()
        owner, _, name = found.model.partition("/")
        return self.get_model(owner, name, viewer), found

    # --------------------------------------------------------------- predictions
    def create_prediction(
        self,
        account: Account,
        model: Model,
        version: Version,
        raw_input: Any,
        *,
        route: str,
        cancel_after: float | None = None,
        webhook: str | None = None,
        webhook_events_filter: list[str] | None = None,
        webhook_completed: str | None = None,
        deployment: str | None = None,
    ) -> Job:
        run_input = version.validator.validate(raw_input)
        return self.start_job(
            account,
            model,
            version,
            raw_input,
            run_input,
            kind="prediction",
            runner=version.runner,
            route=route,
            cancel_after=cancel_after,
            webhook=webhook,
            webhook_events_filter=webhook_events_filter,
            webhook_completed=webhook_completed,
            deployment=deployment,
        )

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
    ) -> Job:
        """Create any job (prediction or training) from already validated input."""
        now = self.now()
        job_id = job_id or self.ids.object_id()
        seed = self.ids.integer(2**31)  # drawn even when unused: later ids stay the same
        plan = self._plan(account, model, version, runner, run_input, seed, job_id)
        self._job_seq += 1
        job = Job(
            id=job_id,
            kind=kind,
            seq=self._job_seq,
            account=account.username,
            model=model.full_name,
            version=version.id,
            input=raw_input,
            plan=plan,
            created_at=now,
            route=route,
            deadline=None if cancel_after is None else now + cancel_after,
            webhook=webhook,
            webhook_events_filter=webhook_events_filter,
            webhook_completed=webhook_completed,
            deployment=deployment,
            extra=extra or {},
        )
        self.jobs[job_id] = job
        self.jobs_by_account.setdefault(account.username, []).append(job)
        model.run_count += 1
        self.create_counts[route] += 1
        self.generation += 1
        if self._observed(job):
            self._schedule(job)
            self._notify(job, "created")
            self.settle_watched()
        else:
            # Nothing would hear of it: no listener watches every job and the webhook ones
            # ignore a job without a webhook.
            job.observed = False
            self._lazy.append(job)
            self.catch_up(job)
        return job

    def _plan(
        self,
        account: Account,
        model: Model,
        version: Version,
        runner: Runner,
        run_input: dict[str, Any],
        seed: int,
        job_id: str,
    ) -> Plan:
        key = _plan_key(runner, run_input)
        if key is not None:
            known = self._plans.get(key)
            if known is not None:
                return known
        try:
            context = RunContext(
                run_input,
                seed,
                model.full_name,
                version.id,
                read_file=self._input_file_reader(account),
            )
            plan = runner(context)
        except Exception as exc:  # a broken runner must fail the job, not the request
            return Plan(setup_time=0.0, run_time=0.0, error=f"{type(exc).__name__}: {exc}")
        if type(plan.steps) is tuple and _only_scalars(plan.output, plan.steps):
            # Nothing to store nor copy: the plan can be every such job's (it is immutable).
            if key is not None:
                if len(self._plans) >= _MAX_PLANS:
                    self._plans.clear()
                self._plans[key] = plan
            return plan
        return self._store_files(job_id, plan)

    def _store_files(self, job_id: str, plan: Plan) -> Plan:
        def convert(value: Any) -> Any:
            if isinstance(value, Blob):
                return FileRef(self.blobs.put(job_id, value.name, value.content_type, value.data))
            if isinstance(value, list):
                return [convert(v) for v in value]
            if isinstance(value, dict):
                return {k: convert(v) for k, v in value.items()}
            return value

        steps = tuple(Step(s.at, s.kind, convert(s.value)) for s in plan.steps)
        output = plan.output if plan.output is MISSING else convert(plan.output)
        return dataclasses.replace(plan, steps=steps, output=output)

    def _input_file_reader(self, account: Account) -> input_files.FileReader:
        return input_files.reader(self.files, self.blobs, account.username, self.now)

    def data_uri(self, ref: FileRef) -> str:
        blob = self.blobs.get(ref.path)
        if blob is None:
            raise not_found("File not found")
        return f"data:{blob.content_type};base64,{base64.b64encode(blob.data).decode()}"

    def get_job(self, account: Account, job_id: str, kind: str = "prediction") -> Job:
        now = self.settle_watched()
        job = self.jobs.get(job_id)
        mine = job is not None and (job.account == account.username or self.config.examples)
        if job is None or not mine or job.kind != kind:
            raise not_found(f"The {kind} {job_id} does not exist")
        if not job.observed and job.pending:
            self.generation += job.apply_due(now)
        return job

    def list_jobs(self, account: Account, kind: str = "prediction") -> list[Job]:
        """Newest first."""
        now = self.settle_watched()
        found: list[Job] = []
        for job in reversed(self.jobs_by_account.get(account.username, ())):
            if job.kind != kind:
                continue
            if not job.observed and job.pending:
                self.generation += job.apply_due(now)
            found.append(job)
        return found

    def job_seq(self) -> int:
        return self._job_seq

    def restore_jobs(self, jobs: list[Job], job_seq: int) -> None:
        """Hold exactly these jobs (a restored state, oldest first) and put the running ones
        back on the clock."""
        self.jobs = {job.id: job for job in jobs}
        self.jobs_by_account = {}
        for job in jobs:
            self.jobs_by_account.setdefault(job.account, []).append(job)
        self._heap = []
        self._lazy = []
        self._settled_at = self.clock.now()
        self._job_seq = job_seq
        for job in jobs:
            job.observed = self._observed(job)
            if job.observed:
                self._schedule(job)
            else:
                self._lazy.append(job)
        self.generation += 1

    def cancel_job(self, account: Account, job_id: str, kind: str = "prediction") -> Job:
        job = self.get_job(account, job_id, kind)
        if job.cancel(self.now()):
            self.generation += 1
            self._notify(job, "completed")
        return job

    def jump_to_next_transition(self, job: Job) -> None:
        """Auto clock: move time to the job's next status change (a polling client's view)."""
        self._jump_to(job, lambda: job.next_transition_at)

    def jump_to_next_event(self, job: Job) -> None:
        self._jump_to(job, lambda: job.next_at)

    def _jump_to(self, job: Job, target: Callable[[], float | None]) -> None:
        """Catch up, then move the clock to ``target()`` (read once caught up) and catch up
        there."""
        self.catch_up(job)
        at = target()
        if at is not None:
            self.clock.advance_to(at)
            self.catch_up(job)
