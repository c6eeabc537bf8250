from typing import Literal

PredictionSource = Literal["api", "web"]

PREDICTION_SOURCE_VALUES: set[PredictionSource] = {
    "api",
    "web",
}


def check_prediction_source(value: str) -> PredictionSource:
    if value in PREDICTION_SOURCE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {PREDICTION_SOURCE_VALUES!r}"
    )
