from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="DeploymentCreateRequest")


@_attrs_define
class DeploymentCreateRequest:
    """Body of `deployments.create`.

    Attributes:
        name (str): An account, model or deployment name: lowercase letters, digits, `-`, `_` and `.`, starting and
            ending with a letter or digit, at most 100 characters.
        model (str): `owner/name` of the model to deploy.
        version (str): 64-character id of the version to deploy.
        hardware (str): Hardware SKU.
        min_instances (int):
        max_instances (int):
    """

    name: str
    model: str
    version: str
    hardware: str
    min_instances: int
    max_instances: int

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        model = self.model

        version = self.version

        hardware = self.hardware

        min_instances = self.min_instances

        max_instances = self.max_instances

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "model": model,
                "version": version,
                "hardware": hardware,
                "min_instances": min_instances,
                "max_instances": max_instances,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        model = d.pop("model")

        version = d.pop("version")

        hardware = d.pop("hardware")

        min_instances = d.pop("min_instances")

        max_instances = d.pop("max_instances")

        deployment_create_request = cls(
            name=name,
            model=model,
            version=version,
            hardware=hardware,
            min_instances=min_instances,
            max_instances=max_instances,
        )

        return deployment_create_request
