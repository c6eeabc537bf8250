"""The HTTP status -> replicate_kit error class table that the unit and contract suites check.

Each suite adds the statuses only it exercises (see ``ERROR_STATUSES`` in ``unit/conftest.py``
and ``test_status_classes`` in ``contract/test_kit_errors.py``).
"""

from __future__ import annotations

from replicate_kit import exceptions as exc

STATUS_CLASSES: list[tuple[int, type[exc.ReplicateError]]] = [
    (400, exc.BadRequestError),
    (401, exc.AuthenticationError),
    (402, exc.PaymentRequiredError),
    (403, exc.PermissionDeniedError),
    (404, exc.NotFoundError),
    (409, exc.ConflictError),
    (422, exc.UnprocessableEntityError),
    (429, exc.RateLimitError),
    (500, exc.InternalServerError),
]
