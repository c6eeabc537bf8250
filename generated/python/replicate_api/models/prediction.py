from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.prediction_source import PredictionSource, check_prediction_source
from ..models.prediction_status import PredictionStatus, check_prediction_status
from ..models.webhook_event_type import WebhookEventType, check_webhook_event_type
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.prediction_input import PredictionInput
    from ..models.prediction_metrics import PredictionMetrics
    from ..models.prediction_urls import PredictionUrls


T = TypeVar("T", bound="Prediction")


@_attrs_define
class Prediction:
    """One run of a model.

    Attributes:
        id (str): 26-character lowercase id.
        model (str): `owner/name` of the model that ran. For official models this may be an internal name that
            differs from the one called.
        version (str): Id of the version that ran: usually 64 hex characters, `hidden` for official models, or
            another opaque string.
        input_ (PredictionInput): The inputs as given.
        output (Any): Whatever the model returned so far (any JSON value); null until there is output.
        logs (None | str): Logs printed by the model so far.
        error (None | str): Error message when the prediction failed.
        status (PredictionStatus): Lifecycle state. `starting`: queued or booting; `processing`: running; `succeeded`,
            `failed`,
            `canceled` (by request or deadline) and `aborted` (dropped before it started) are terminal.
        data_removed (bool): True once input, output and logs were purged.
        created_at (datetime.datetime):
        started_at (datetime.datetime | None):
        completed_at (datetime.datetime | None):
        urls (PredictionUrls): Links of a prediction. `get` and `cancel` are API URLs; `web` is the page on the website
            (absent
            from many real responses); `stream` is present when the model can stream, and is an opaque URL.
        source (PredictionSource | Unset): Where the prediction was created.
        deadline (datetime.datetime | None | Unset): When the prediction will be canceled automatically (set by `Cancel-
            After`).
        deployment (None | str | Unset): `owner/name` of the deployment, when created through one.
        metrics (PredictionMetrics | Unset): Timing figures, present once the prediction is terminal. Other numeric keys
            may appear.
        webhook (None | str | Unset): The webhook URL given at creation, if any.
        webhook_events_filter (list[WebhookEventType] | None | Unset): The events chosen at creation; null when the
            webhook gets the default set.
    """

    id: str
    model: str
    version: str
    input_: PredictionInput
    output: Any
    logs: None | str
    error: None | str
    status: PredictionStatus
    data_removed: bool
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    completed_at: datetime.datetime | None
    urls: PredictionUrls
    source: PredictionSource | Unset = UNSET
    deadline: datetime.datetime | None | Unset = UNSET
    deployment: None | str | Unset = UNSET
    metrics: PredictionMetrics | Unset = UNSET
    webhook: None | str | Unset = UNSET
    webhook_events_filter: list[WebhookEventType] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        model = self.model

        version = self.version

        input_ = self.input_.to_dict()

        output = self.output

        logs: None | str
        logs = self.logs

        error: None | str
        error = self.error

        status: str = self.status

        data_removed = self.data_removed

        created_at = self.created_at.isoformat()

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        completed_at: None | str
        if isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        urls = self.urls.to_dict()

        source: str | Unset = UNSET
        if not isinstance(self.source, Unset):
            source = self.source

        deadline: None | str | Unset
        if isinstance(self.deadline, Unset):
            deadline = UNSET
        elif isinstance(self.deadline, datetime.datetime):
            deadline = self.deadline.isoformat()
        else:
            deadline = self.deadline

        deployment: None | str | Unset
        if isinstance(self.deployment, Unset):
            deployment = UNSET
        else:
            deployment = self.deployment

        metrics: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metrics, Unset):
            metrics = self.metrics.to_dict()

        webhook: None | str | Unset
        if isinstance(self.webhook, Unset):
            webhook = UNSET
        else:
            webhook = self.webhook

        webhook_events_filter: list[str] | None | Unset
        if isinstance(self.webhook_events_filter, Unset):
            webhook_events_filter = UNSET
        elif isinstance(self.webhook_events_filter, list):
            webhook_events_filter = []
            for webhook_events_filter_type_0_item_data in self.webhook_events_filter:
                webhook_events_filter_type_0_item: str = (
                    webhook_events_filter_type_0_item_data
                )
                webhook_events_filter.append(webhook_events_filter_type_0_item)

        else:
            webhook_events_filter = self.webhook_events_filter

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "model": model,
                "version": version,
                "input": input_,
                "output": output,
                "logs": logs,
                "error": error,
                "status": status,
                "data_removed": data_removed,
                "created_at": created_at,
                "started_at": started_at,
                "completed_at": completed_at,
                "urls": urls,
            }
        )
        if source is not UNSET:
            field_dict["source"] = source
        if deadline is not UNSET:
            field_dict["deadline"] = deadline
        if deployment is not UNSET:
            field_dict["deployment"] = deployment
        if metrics is not UNSET:
            field_dict["metrics"] = metrics
        if webhook is not UNSET:
            field_dict["webhook"] = webhook
        if webhook_events_filter is not UNSET:
            field_dict["webhook_events_filter"] = webhook_events_filter

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.prediction_input import PredictionInput  # noqa: PLC0415
        from ..models.prediction_metrics import PredictionMetrics  # noqa: PLC0415
        from ..models.prediction_urls import PredictionUrls  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        model = d.pop("model")

        version = d.pop("version")

        input_ = PredictionInput.from_dict(d.pop("input"))

        output = d.pop("output")

        def _parse_logs(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        logs = _parse_logs(d.pop("logs"))

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        status = check_prediction_status(d.pop("status"))

        data_removed = d.pop("data_removed")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        started_at = _parse_started_at(d.pop("started_at"))

        def _parse_completed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_at_type_0 = datetime.datetime.fromisoformat(data)

                return completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        completed_at = _parse_completed_at(d.pop("completed_at"))

        urls = PredictionUrls.from_dict(d.pop("urls"))

        _source = d.pop("source", UNSET)
        source: PredictionSource | Unset
        if isinstance(_source, Unset):
            source = UNSET
        else:
            source = check_prediction_source(_source)

        def _parse_deadline(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                deadline_type_0 = datetime.datetime.fromisoformat(data)

                return deadline_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        deadline = _parse_deadline(d.pop("deadline", UNSET))

        def _parse_deployment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        deployment = _parse_deployment(d.pop("deployment", UNSET))

        _metrics = d.pop("metrics", UNSET)
        metrics: PredictionMetrics | Unset
        if isinstance(_metrics, Unset):
            metrics = UNSET
        else:
            metrics = PredictionMetrics.from_dict(_metrics)

        def _parse_webhook(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        webhook = _parse_webhook(d.pop("webhook", UNSET))

        def _parse_webhook_events_filter(
            data: object,
        ) -> list[WebhookEventType] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                webhook_events_filter_type_0 = []
                _webhook_events_filter_type_0 = data
                for (
                    webhook_events_filter_type_0_item_data
                ) in _webhook_events_filter_type_0:
                    webhook_events_filter_type_0_item = check_webhook_event_type(
                        webhook_events_filter_type_0_item_data
                    )

                    webhook_events_filter_type_0.append(
                        webhook_events_filter_type_0_item
                    )

                return webhook_events_filter_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[WebhookEventType] | None | Unset, data)

        webhook_events_filter = _parse_webhook_events_filter(
            d.pop("webhook_events_filter", UNSET)
        )

        prediction = cls(
            id=id,
            model=model,
            version=version,
            input_=input_,
            output=output,
            logs=logs,
            error=error,
            status=status,
            data_removed=data_removed,
            created_at=created_at,
            started_at=started_at,
            completed_at=completed_at,
            urls=urls,
            source=source,
            deadline=deadline,
            deployment=deployment,
            metrics=metrics,
            webhook=webhook,
            webhook_events_filter=webhook_events_filter,
        )

        prediction.additional_properties = d
        return prediction

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
