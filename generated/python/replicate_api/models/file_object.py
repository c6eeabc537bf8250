from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.file_checksums import FileChecksums
    from ..models.file_object_metadata import FileObjectMetadata
    from ..models.file_urls import FileUrls


T = TypeVar("T", bound="FileObject")


@_attrs_define
class FileObject:
    """An uploaded file.

    Attributes:
        id (str):
        content_type (str):
        size (int): Size in bytes.
        checksums (FileChecksums):
        metadata (FileObjectMetadata):
        created_at (datetime.datetime):
        expires_at (datetime.datetime | None):
        urls (FileUrls): Where the file can be fetched. Besides `get`, a server may offer more links under other keys:
            replicate-kit's mock adds `download`, a signed `files.download` URL that needs no token.
        name (str | Unset): The stored filename.
        etag (str | Unset): Entity tag of the content (the MD5 in hex).
    """

    id: str
    content_type: str
    size: int
    checksums: FileChecksums
    metadata: FileObjectMetadata
    created_at: datetime.datetime
    expires_at: datetime.datetime | None
    urls: FileUrls
    name: str | Unset = UNSET
    etag: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        content_type = self.content_type

        size = self.size

        checksums = self.checksums.to_dict()

        metadata = self.metadata.to_dict()

        created_at = self.created_at.isoformat()

        expires_at: None | str
        if isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        urls = self.urls.to_dict()

        name = self.name

        etag = self.etag

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "content_type": content_type,
                "size": size,
                "checksums": checksums,
                "metadata": metadata,
                "created_at": created_at,
                "expires_at": expires_at,
                "urls": urls,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if etag is not UNSET:
            field_dict["etag"] = etag

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.file_checksums import FileChecksums  # noqa: PLC0415
        from ..models.file_object_metadata import FileObjectMetadata  # noqa: PLC0415
        from ..models.file_urls import FileUrls  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        content_type = d.pop("content_type")

        size = d.pop("size")

        checksums = FileChecksums.from_dict(d.pop("checksums"))

        metadata = FileObjectMetadata.from_dict(d.pop("metadata"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_expires_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        expires_at = _parse_expires_at(d.pop("expires_at"))

        urls = FileUrls.from_dict(d.pop("urls"))

        name = d.pop("name", UNSET)

        etag = d.pop("etag", UNSET)

        file_object = cls(
            id=id,
            content_type=content_type,
            size=size,
            checksums=checksums,
            metadata=metadata,
            created_at=created_at,
            expires_at=expires_at,
            urls=urls,
            name=name,
            etag=etag,
        )

        file_object.additional_properties = d
        return file_object

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
