from typing import Literal

PredictionStatus = Literal[
    "aborted", "canceled", "failed", "processing", "starting", "succeeded"
]

PREDICTION_STATUS_VALUES: set[PredictionStatus] = {
    "aborted",
    "canceled",
    "failed",
    "processing",
    "starting",
    "succeeded",
}


def check_prediction_status(value: str) -> PredictionStatus:
    if value in PREDICTION_STATUS_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {PREDICTION_STATUS_VALUES!r}"
    )
