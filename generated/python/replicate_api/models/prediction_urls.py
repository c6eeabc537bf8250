from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PredictionUrls")


@_attrs_define
class PredictionUrls:
    """Links of a prediction. `get` and `cancel` are API URLs; `web` is the page on the website (absent
    from many real responses); `stream` is present when the model can stream, and is an opaque URL.

        Attributes:
            get (str):
            cancel (str):
            web (str | Unset):
            stream (str | Unset):
    """

    get: str
    cancel: str
    web: str | Unset = UNSET
    stream: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        get = self.get

        cancel = self.cancel

        web = self.web

        stream = self.stream

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "get": get,
                "cancel": cancel,
            }
        )
        if web is not UNSET:
            field_dict["web"] = web
        if stream is not UNSET:
            field_dict["stream"] = stream

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        get = d.pop("get")

        cancel = d.pop("cancel")

        web = d.pop("web", UNSET)

        stream = d.pop("stream", UNSET)

        prediction_urls = cls(
            get=get,
            cancel=cancel,
            web=web,
            stream=stream,
        )

        prediction_urls.additional_properties = d
        return prediction_urls

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
