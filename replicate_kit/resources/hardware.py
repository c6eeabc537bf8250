"""``client.hardware``: the hardware SKUs models and deployments can run on."""

from __future__ import annotations

import builtins

from replicate_kit._calls import Call, Flow, call
from replicate_kit._methods import M, method
from replicate_kit.resources._base import Resource
from replicate_kit.types import Hardware


class HardwareResource(Resource[M]):
    """``client.hardware``: the hardware SKUs models and deployments can run on.

    Example::

        skus = [h.sku for h in client.hardware.list()]  # ["cpu", "gpu-t4", ...]
    """

    _name = "hardware"

    @method
    def list(self) -> Flow[builtins.list[Hardware]]:
        """Every hardware SKU (not paginated)."""
        data = yield from call(Call("hardware.list"))
        return [Hardware.from_dict(h, self._core) for h in data or []]

    async_list = list.async_form()
