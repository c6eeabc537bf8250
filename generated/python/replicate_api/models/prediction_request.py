from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.webhook_event_type import WebhookEventType, check_webhook_event_type
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.prediction_request_input import PredictionRequestInput


T = TypeVar("T", bound="PredictionRequest")


@_attrs_define
class PredictionRequest:
    """Body of `models.predictions.create` and `deployments.predictions.create`; the version is
    implied by the path, so `version` is not accepted.

        Attributes:
            input_ (PredictionRequestInput): Inputs of the model, as described by the version's `Input` schema.
            webhook (str | Unset): An absolute `http` or `https` URL with a host.
            webhook_events_filter (list[WebhookEventType] | Unset): Which events trigger a webhook delivery.
            stream (bool | Unset): No longer needed; `urls.stream` is returned whenever the model can stream.
            webhook_completed (str | Unset): An absolute `http` or `https` URL with a host.
    """

    input_: PredictionRequestInput
    webhook: str | Unset = UNSET
    webhook_events_filter: list[WebhookEventType] | Unset = UNSET
    stream: bool | Unset = UNSET
    webhook_completed: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        input_ = self.input_.to_dict()

        webhook = self.webhook

        webhook_events_filter: list[str] | Unset = UNSET
        if not isinstance(self.webhook_events_filter, Unset):
            webhook_events_filter = []
            for webhook_events_filter_item_data in self.webhook_events_filter:
                webhook_events_filter_item: str = webhook_events_filter_item_data
                webhook_events_filter.append(webhook_events_filter_item)

        stream = self.stream

        webhook_completed = self.webhook_completed

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "input": input_,
            }
        )
        if webhook is not UNSET:
            field_dict["webhook"] = webhook
        if webhook_events_filter is not UNSET:
            field_dict["webhook_events_filter"] = webhook_events_filter
        if stream is not UNSET:
            field_dict["stream"] = stream
        if webhook_completed is not UNSET:
            field_dict["webhook_completed"] = webhook_completed

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.prediction_request_input import PredictionRequestInput  # noqa: PLC0415

        d = dict(src_dict)
        input_ = PredictionRequestInput.from_dict(d.pop("input"))

        webhook = d.pop("webhook", UNSET)

        _webhook_events_filter = d.pop("webhook_events_filter", UNSET)
        webhook_events_filter: list[WebhookEventType] | Unset = UNSET
        if _webhook_events_filter is not UNSET:
            webhook_events_filter = []
            for webhook_events_filter_item_data in _webhook_events_filter:
                webhook_events_filter_item = check_webhook_event_type(
                    webhook_events_filter_item_data
                )

                webhook_events_filter.append(webhook_events_filter_item)

        stream = d.pop("stream", UNSET)

        webhook_completed = d.pop("webhook_completed", UNSET)

        prediction_request = cls(
            input_=input_,
            webhook=webhook,
            webhook_events_filter=webhook_events_filter,
            stream=stream,
            webhook_completed=webhook_completed,
        )

        return prediction_request
