"""/v1/account."""

from __future__ import annotations

from mock_server.http.context import authenticate
from mock_server.http.operation import Call, Endpoint, Operation, Result, operation


async def get_account(request: Call) -> Result:
    return Result(authenticate(request).to_json())


#: operationId -> its handler; the method and path come from the operation table.
HANDLERS: dict[str, Operation | Endpoint] = {
    "account.get": operation(get_account),
}
