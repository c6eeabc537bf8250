from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.account import Account
    from ..models.deployment_configuration import DeploymentConfiguration


T = TypeVar("T", bound="DeploymentRelease")


@_attrs_define
class DeploymentRelease:
    """One configuration of a deployment; every change creates a new release.

    Attributes:
        number (int):
        model (str): `owner/name` of the deployed model.
        version (str): Id of the deployed version.
        created_at (datetime.datetime):
        configuration (DeploymentConfiguration): Hardware and scaling of a release.
        created_by (Account | Unset): A user or organization.
    """

    number: int
    model: str
    version: str
    created_at: datetime.datetime
    configuration: DeploymentConfiguration
    created_by: Account | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        number = self.number

        model = self.model

        version = self.version

        created_at = self.created_at.isoformat()

        configuration = self.configuration.to_dict()

        created_by: dict[str, Any] | Unset = UNSET
        if not isinstance(self.created_by, Unset):
            created_by = self.created_by.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "number": number,
                "model": model,
                "version": version,
                "created_at": created_at,
                "configuration": configuration,
            }
        )
        if created_by is not UNSET:
            field_dict["created_by"] = created_by

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.account import Account  # noqa: PLC0415
        from ..models.deployment_configuration import DeploymentConfiguration  # noqa: PLC0415

        d = dict(src_dict)
        number = d.pop("number")

        model = d.pop("model")

        version = d.pop("version")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        configuration = DeploymentConfiguration.from_dict(d.pop("configuration"))

        _created_by = d.pop("created_by", UNSET)
        created_by: Account | Unset
        if isinstance(_created_by, Unset):
            created_by = UNSET
        else:
            created_by = Account.from_dict(_created_by)

        deployment_release = cls(
            number=number,
            model=model,
            version=version,
            created_at=created_at,
            configuration=configuration,
            created_by=created_by,
        )

        deployment_release.additional_properties = d
        return deployment_release

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
