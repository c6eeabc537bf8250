"""Domain errors; the HTTP adapter renders them as problem+json."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        *,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra or {}

    def body(self) -> dict[str, Any]:
        return {"title": self.title, "detail": self.detail, "status": self.status, **self.extra}


def bad_request(detail: str, title: str = "Bad request") -> ApiError:
    return ApiError(400, title, detail)


def unauthenticated() -> ApiError:
    return ApiError(401, "Unauthenticated", "You did not pass a valid authentication token")


def forbidden(detail: str) -> ApiError:
    """The caller is known but may not do this to someone else's resource."""
    return ApiError(403, "Permission denied", detail)


def not_found(detail: str = "Not found.") -> ApiError:
    return ApiError(404, "Not found", detail)


def invalid_fields(title: str, fields: list[dict[str, str]]) -> ApiError:
    lines = "".join(f"- {field['field']}: {field['description']}\n" for field in fields)
    return ApiError(422, title, lines, extra={"invalid_fields": fields})


def unprocessable(title: str, detail: str) -> ApiError:
    return ApiError(422, title, detail)
