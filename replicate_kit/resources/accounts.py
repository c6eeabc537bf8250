"""``client.account`` / ``client.accounts``: the token's account."""

from __future__ import annotations

from replicate_kit._calls import Call, Flow
from replicate_kit._methods import M, method
from replicate_kit.resources._base import Resource, one
from replicate_kit.types import Account


class Accounts(Resource[M]):
    """``client.account``/``client.accounts``: the token's account.

    Example::

        me = client.account.current()
        print(me.username, me.type)  # "alice", "user"
    """

    _name = "account"

    @method
    def current(self) -> Flow[Account]:
        """The account the API token belongs to."""
        return (yield from one(Call("account.get"), Account, self._core))

    async_current = current.async_form()
    get = current
    async_get = async_current
