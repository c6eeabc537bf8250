"""``client.trainings``: create, get, list, cancel."""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from typing import Any

from replicate_kit import _predict
from replicate_kit._calls import Call, Flow
from replicate_kit._files import FileEncodingStrategy, encode_input
from replicate_kit._methods import M, method
from replicate_kit._predict import WebhookEvent
from replicate_kit._reconcile import Wanted
from replicate_kit._refs import parse_ref
from replicate_kit.resources._base import Cursor, Resource, one, page
from replicate_kit.types import Page, Training


def _source(model: Any, version: Any) -> tuple[str, str, str]:
    """(owner, name, version id) of what is trained."""
    if version is None and isinstance(model, str) and ":" in model:
        model, version = None, model
    version_id = getattr(version, "id", version)
    if not isinstance(version_id, str):
        raise TypeError("version must be 'owner/name:version', a version id or a Version")
    if model is None:
        ref = parse_ref(version_id)
        if ref.owner is None or ref.name is None or ref.version is None:
            raise ValueError("version must be 'owner/name:version' unless model= is given")
        return ref.owner, ref.name, ref.version
    owner, name = _predict._name_of(model, "model")
    return owner, name, version_id


class Trainings(Resource[M]):
    """``client.trainings``: create, get, list, cancel.

    Example::

        training = client.trainings.create(
            version="owner/trainer:VERSION_ID", input={"steps": 100}, destination="me/tuned"
        )
        training.wait()
        print(training.output["version"])  # "me/tuned:<new version id>"
    """

    _name = "trainings"

    @method
    def create(
        self,
        model: Any = None,
        version: Any = None,
        input: Mapping[str, Any] | None = None,
        *,
        destination: Any = None,
        webhook: str | None = None,
        webhook_completed: str | None = None,
        webhook_events_filter: Sequence[WebhookEvent] | None = None,
        file_encoding_strategy: FileEncodingStrategy | None = None,
    ) -> Flow[Training]:
        """Start a training: ``create(version="o/n:v", input=..., destination="me/model")``.

        Files in ``input`` (``Path`` or file objects) are uploaded first, or inlined with
        ``file_encoding_strategy="base64"``, as for predictions.
        """
        owner, name, version_id = _source(model, version)
        if destination is None:
            raise ValueError("destination ('owner/name' of a model you own) is required")
        dest = (
            destination
            if isinstance(destination, str)
            else "/".join(_predict._name_of(destination, "model"))
        )
        # Files in the input are uploaded (or inlined) as for predictions.
        encoded = yield from encode_input(dict(input or {}), file_encoding_strategy)
        body: dict[str, Any] = {"destination": dest, "input": encoded}
        options = {"webhook": webhook, "webhook_completed": webhook_completed}
        body.update({key: value for key, value in options.items() if value is not None})
        if webhook_events_filter is not None:
            body["webhook_events_filter"] = builtins.list(webhook_events_filter)
        path = {"model_owner": owner, "model_name": name, "version_id": version_id}
        call = Call("trainings.create", path=path, body=body)
        wanted = Wanted(encoded, model=f"{owner}/{name}", version=version_id)
        data = yield from self._core.reconciler.create(call, wanted)
        training = Training.from_dict(data, self._core)
        # The API does not echo the destination; keep the one we asked for.
        if training.destination is None:
            training.destination = dest
        return training

    @method
    def get(self, id: str) -> Flow[Training]:
        """A training by id."""
        return (
            yield from one(Call("trainings.get", path={"training_id": id}), Training, self._core)
        )

    @method
    def list(self, cursor: Cursor = ...) -> Flow[Page[Training]]:
        """One page of trainings, newest first."""
        return (yield from page(Call("trainings.list"), cursor, Training, self._core))

    @method
    def cancel(self, id: str) -> Flow[Training]:
        """Cancel a training."""
        call = Call("trainings.cancel", path={"training_id": id})
        return (yield from one(call, Training, self._core))

    async_create = create.async_form()
    async_get = get.async_form()
    async_list = list.async_form()
    async_cancel = cancel.async_form()
