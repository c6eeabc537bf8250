from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="DeploymentUpdateRequest")


@_attrs_define
class DeploymentUpdateRequest:
    """Body of `deployments.update`; only the given fields change.

    Attributes:
        version (str | Unset):
        hardware (str | Unset):
        min_instances (int | Unset):
        max_instances (int | Unset):
    """

    version: str | Unset = UNSET
    hardware: str | Unset = UNSET
    min_instances: int | Unset = UNSET
    max_instances: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        hardware = self.hardware

        min_instances = self.min_instances

        max_instances = self.max_instances

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if version is not UNSET:
            field_dict["version"] = version
        if hardware is not UNSET:
            field_dict["hardware"] = hardware
        if min_instances is not UNSET:
            field_dict["min_instances"] = min_instances
        if max_instances is not UNSET:
            field_dict["max_instances"] = max_instances

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        version = d.pop("version", UNSET)

        hardware = d.pop("hardware", UNSET)

        min_instances = d.pop("min_instances", UNSET)

        max_instances = d.pop("max_instances", UNSET)

        deployment_update_request = cls(
            version=version,
            hardware=hardware,
            min_instances=min_instances,
            max_instances=max_instances,
        )

        return deployment_update_request
