from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.model import Model
    from ..models.search_model_metadata import SearchModelMetadata


T = TypeVar("T", bound="SearchModelHit")


@_attrs_define
class SearchModelHit:
    """
    Attributes:
        model (Model): A model and its summary information.
        metadata (SearchModelMetadata):
    """

    model: Model
    metadata: SearchModelMetadata
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        model = self.model.to_dict()

        metadata = self.metadata.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "model": model,
                "metadata": metadata,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.model import Model  # noqa: PLC0415
        from ..models.search_model_metadata import SearchModelMetadata  # noqa: PLC0415

        d = dict(src_dict)
        model = Model.from_dict(d.pop("model"))

        metadata = SearchModelMetadata.from_dict(d.pop("metadata"))

        search_model_hit = cls(
            model=model,
            metadata=metadata,
        )

        search_model_hit.additional_properties = d
        return search_model_hit

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
