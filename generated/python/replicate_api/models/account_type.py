from typing import Literal

AccountType = Literal["organization", "user"]

ACCOUNT_TYPE_VALUES: set[AccountType] = {
    "organization",
    "user",
}


def check_account_type(value: str) -> AccountType:
    if value in ACCOUNT_TYPE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {ACCOUNT_TYPE_VALUES!r}"
    )
