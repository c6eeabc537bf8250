from __future__ import annotations

import json
from collections.abc import Mapping
from io import BytesIO
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from .. import types
from ..types import UNSET, File, Unset

if TYPE_CHECKING:
    from ..models.file_upload_form_metadata import FileUploadFormMetadata


T = TypeVar("T", bound="FileUploadForm")


@_attrs_define
class FileUploadForm:
    """Multipart body of `files.create`.

    Attributes:
        content (File): The file's bytes (the part's filename is used when `filename` is absent).
        filename (str | Unset): Name to store, at most 255 bytes of UTF-8.
        type_ (str | Unset): MIME type of the content. Default: 'application/octet-stream'.
        metadata (FileUploadFormMetadata | Unset): Free-form JSON kept with the file.
    """

    content: File
    filename: str | Unset = UNSET
    type_: str | Unset = "application/octet-stream"
    metadata: FileUploadFormMetadata | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        content = self.content.to_tuple()

        filename = self.filename

        type_ = self.type_

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "content": content,
            }
        )
        if filename is not UNSET:
            field_dict["filename"] = filename
        if type_ is not UNSET:
            field_dict["type"] = type_
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("content", self.content.to_tuple()))

        if not isinstance(self.filename, Unset):
            files.append(
                ("filename", (None, str(self.filename).encode(), "text/plain"))
            )

        if not isinstance(self.type_, Unset):
            files.append(("type", (None, str(self.type_).encode(), "text/plain")))

        if not isinstance(self.metadata, Unset):
            files.append(
                (
                    "metadata",
                    (
                        None,
                        json.dumps(self.metadata.to_dict()).encode(),
                        "application/json",
                    ),
                )
            )

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.file_upload_form_metadata import FileUploadFormMetadata  # noqa: PLC0415

        d = dict(src_dict)
        content = File(payload=BytesIO(d.pop("content")))

        filename = d.pop("filename", UNSET)

        type_ = d.pop("type", UNSET)

        _metadata = d.pop("metadata", UNSET)
        metadata: FileUploadFormMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = FileUploadFormMetadata.from_dict(_metadata)

        file_upload_form = cls(
            content=content,
            filename=filename,
            type_=type_,
            metadata=metadata,
        )

        return file_upload_form
