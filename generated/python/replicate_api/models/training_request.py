from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.webhook_event_type import WebhookEventType, check_webhook_event_type
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.training_request_input import TrainingRequestInput


T = TypeVar("T", bound="TrainingRequest")


@_attrs_define
class TrainingRequest:
    """Body of `trainings.create`.

    Attributes:
        destination (str): `owner/name` of an existing model of yours that receives the new version.
        input_ (TrainingRequestInput): Arguments of the model's training function.
        webhook (str | Unset): An absolute `http` or `https` URL with a host.
        webhook_events_filter (list[WebhookEventType] | Unset):
        webhook_completed (str | Unset): An absolute `http` or `https` URL with a host.
    """

    destination: str
    input_: TrainingRequestInput
    webhook: str | Unset = UNSET
    webhook_events_filter: list[WebhookEventType] | Unset = UNSET
    webhook_completed: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        destination = self.destination

        input_ = self.input_.to_dict()

        webhook = self.webhook

        webhook_events_filter: list[str] | Unset = UNSET
        if not isinstance(self.webhook_events_filter, Unset):
            webhook_events_filter = []
            for webhook_events_filter_item_data in self.webhook_events_filter:
                webhook_events_filter_item: str = webhook_events_filter_item_data
                webhook_events_filter.append(webhook_events_filter_item)

        webhook_completed = self.webhook_completed

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "destination": destination,
                "input": input_,
            }
        )
        if webhook is not UNSET:
            field_dict["webhook"] = webhook
        if webhook_events_filter is not UNSET:
            field_dict["webhook_events_filter"] = webhook_events_filter
        if webhook_completed is not UNSET:
            field_dict["webhook_completed"] = webhook_completed

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.training_request_input import TrainingRequestInput  # noqa: PLC0415

        d = dict(src_dict)
        destination = d.pop("destination")

        input_ = TrainingRequestInput.from_dict(d.pop("input"))

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

        webhook_completed = d.pop("webhook_completed", UNSET)

        training_request = cls(
            destination=destination,
            input_=input_,
            webhook=webhook,
            webhook_events_filter=webhook_events_filter,
            webhook_completed=webhook_completed,
        )

        return training_request
