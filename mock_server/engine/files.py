"""Uploaded files (the Files API): per-account store with checksums, expiry and signed links."""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from mock_server.engine.bodies import decimal
from mock_server.engine.clock import isoformat
from mock_server.engine.errors import ApiError, not_found

DEFAULT_MAX_FILE_SIZE = 100 * 1024 * 1024
DEFAULT_FILE_TTL = 24 * 3600.0  # the real API keeps uploads for a day
MAX_FILENAME_BYTES = 255


@dataclass
class StoredFile:
    id: str
    owner: str  # username
    name: str
    content_type: str
    data: bytes
    metadata: dict[str, Any]
    created_at: float
    expires_at: float
    seq: int
    sha256: str = field(init=False)
    md5: str = field(init=False)

    def __post_init__(self) -> None:
        self.sha256 = hashlib.sha256(self.data).hexdigest()
        self.md5 = hashlib.md5(self.data, usedforsecurity=False).hexdigest()

    @property
    def size(self) -> int:
        return len(self.data)


def too_large(limit: int) -> ApiError:
    megabytes = limit / (1024 * 1024)
    shown = f"{megabytes:g}MB" if megabytes >= 1 else f"{limit} bytes"
    return ApiError(413, "Request too large", f"Files must be less than {shown} in size")


class FileStore:
    """Files keyed by id; an expired file behaves exactly like a deleted one."""

    def __init__(
        self,
        seed: int,
        max_size: int = DEFAULT_MAX_FILE_SIZE,
        ttl: float = DEFAULT_FILE_TTL,
    ) -> None:
        if max_size < 0 or ttl <= 0:
            raise ValueError("max_size must be non-negative and ttl positive")
        self.max_size = max_size
        self.ttl = ttl
        self._files: dict[str, StoredFile] = {}
        self.seq = 0
        # Signs download links; derived from the seed so links are reproducible.
        self._signing_key = hashlib.sha256(f"replicate-mock-files:{seed}".encode()).digest()

    def create(
        self,
        file_id: str,
        owner: str,
        name: str,
        content_type: str,
        data: bytes,
        metadata: dict[str, Any],
        now: float,
    ) -> StoredFile:
        if len(data) > self.max_size:
            raise too_large(self.max_size)
        self.seq += 1
        stored = StoredFile(
            id=file_id,
            owner=owner,
            name=name,
            content_type=content_type,
            data=data,
            metadata=metadata,
            created_at=now,
            expires_at=now + self.ttl,
            seq=self.seq,
        )
        self._files[file_id] = stored
        return stored

    def restore(self, stored: StoredFile) -> None:
        self._files[stored.id] = stored

    def all(self) -> list[StoredFile]:
        """Every file kept, expired or not (expiry is applied on reads)."""
        return list(self._files.values())

    def any(self, file_id: str, now: float) -> StoredFile:
        """The file, whoever owns it (example mode)."""
        stored = self._live(file_id, now)
        if stored is None:
            raise not_found("File not found")
        return stored

    def exists(self, file_id: str, now: float) -> bool:
        return self._live(file_id, now) is not None

    def _live(self, file_id: str, now: float) -> StoredFile | None:
        stored = self._files.get(file_id)
        if stored is not None and now >= stored.expires_at:
            del self._files[file_id]
            return None
        return stored

    def get(self, owner: str, file_id: str, now: float) -> StoredFile:
        stored = self._live(file_id, now)
        if stored is None or stored.owner != owner:
            raise not_found("File not found")
        return stored

    def list(self, owner: str, now: float) -> list[StoredFile]:
        """Newest first."""
        for file_id in [f.id for f in self._files.values()]:
            self._live(file_id, now)
        mine = [f for f in self._files.values() if f.owner == owner]
        return sorted(mine, key=lambda f: -f.seq)

    def delete(self, owner: str, file_id: str, now: float) -> None:
        self.get(owner, file_id, now)
        del self._files[file_id]

    # -------------------------------------------------------------- signed links
    def signature(self, owner: str, file_id: str, expiry: int) -> str:
        digest = hmac.new(
            self._signing_key, f"{owner} {file_id} {expiry}".encode(), hashlib.sha256
        ).digest()
        return base64.b64encode(digest).decode()

    def download_query(self, stored: StoredFile) -> str:
        expiry = int(stored.expires_at)
        return urlencode(
            {
                "owner": stored.owner,
                "expiry": expiry,
                "signature": self.signature(stored.owner, stored.id, expiry),
            }
        )

    def signed(
        self, file_id: str, owner: str, expiry: str, signature: str, now: float
    ) -> StoredFile:
        """The file a signed link points at; any mismatch or an expired link is a 404."""
        missing = not_found("File not found")
        expires = decimal(expiry)
        if expires is None:
            raise missing
        expected = self.signature(owner, file_id, expires)
        if not hmac.compare_digest(expected.encode(), signature.encode()) or now > expires:
            raise missing
        stored = self._live(file_id, now)
        if stored is None or stored.owner != owner:
            raise missing
        return stored


def render_file(stored: StoredFile, root: str, store: FileStore) -> dict[str, Any]:
    url = f"{root}/v1/files/{stored.id}"
    return {
        "id": stored.id,
        "name": stored.name,
        "content_type": stored.content_type,
        "size": stored.size,
        "etag": stored.md5,
        "checksums": {"sha256": stored.sha256, "md5": stored.md5},
        "metadata": stored.metadata,
        "created_at": isoformat(stored.created_at),
        "expires_at": isoformat(stored.expires_at),
        "urls": {"get": url, "download": f"{url}/download?{store.download_query(stored)}"},
    }
