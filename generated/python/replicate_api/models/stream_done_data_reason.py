from typing import Literal

StreamDoneDataReason = Literal["canceled", "error"]

STREAM_DONE_DATA_REASON_VALUES: set[StreamDoneDataReason] = {
    "canceled",
    "error",
}


def check_stream_done_data_reason(value: str) -> StreamDoneDataReason:
    if value in STREAM_DONE_DATA_REASON_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {STREAM_DONE_DATA_REASON_VALUES!r}"
    )
