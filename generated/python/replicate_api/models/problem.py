from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.invalid_field import InvalidField


T = TypeVar("T", bound="Problem")


@_attrs_define
class Problem:
    """An RFC 9457 problem document. Real responses do not always carry every member (a 404 may hold
    only `detail` and `status`), so none is required.

        Attributes:
            type_ (str | Unset): URI reference naming the kind of problem.
            title (str | Unset): Short summary of the kind of problem, e.g. `Input validation failed`.
            status (int | Unset): The HTTP status code.
            detail (str | Unset): Human-readable explanation of this occurrence.
            instance (str | Unset): URI reference of this occurrence.
            invalid_fields (list[InvalidField] | Unset): On input validation failures, one entry per offending field.
    """

    type_: str | Unset = UNSET
    title: str | Unset = UNSET
    status: int | Unset = UNSET
    detail: str | Unset = UNSET
    instance: str | Unset = UNSET
    invalid_fields: list[InvalidField] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        title = self.title

        status = self.status

        detail = self.detail

        instance = self.instance

        invalid_fields: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.invalid_fields, Unset):
            invalid_fields = []
            for invalid_fields_item_data in self.invalid_fields:
                invalid_fields_item = invalid_fields_item_data.to_dict()
                invalid_fields.append(invalid_fields_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if type_ is not UNSET:
            field_dict["type"] = type_
        if title is not UNSET:
            field_dict["title"] = title
        if status is not UNSET:
            field_dict["status"] = status
        if detail is not UNSET:
            field_dict["detail"] = detail
        if instance is not UNSET:
            field_dict["instance"] = instance
        if invalid_fields is not UNSET:
            field_dict["invalid_fields"] = invalid_fields

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.invalid_field import InvalidField  # noqa: PLC0415

        d = dict(src_dict)
        type_ = d.pop("type", UNSET)

        title = d.pop("title", UNSET)

        status = d.pop("status", UNSET)

        detail = d.pop("detail", UNSET)

        instance = d.pop("instance", UNSET)

        _invalid_fields = d.pop("invalid_fields", UNSET)
        invalid_fields: list[InvalidField] | Unset = UNSET
        if _invalid_fields is not UNSET:
            invalid_fields = []
            for invalid_fields_item_data in _invalid_fields:
                invalid_fields_item = InvalidField.from_dict(invalid_fields_item_data)

                invalid_fields.append(invalid_fields_item)

        problem = cls(
            type_=type_,
            title=title,
            status=status,
            detail=detail,
            instance=instance,
            invalid_fields=invalid_fields,
        )

        problem.additional_properties = d
        return problem

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
