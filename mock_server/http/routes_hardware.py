"""/v1/hardware: a bare JSON array, not a page."""

from __future__ import annotations

from mock_server.engine import hardware
from mock_server.http.context import authenticate
from mock_server.http.operation import Call, Endpoint, Operation, Result, operation


async def list_hardware(request: Call) -> Result:
    authenticate(request)
    return Result(hardware.list_json())


#: operationId -> its handler; the method and path come from the operation table.
HANDLERS: dict[str, Operation | Endpoint] = {
    "hardware.list": operation(list_hardware),
}
