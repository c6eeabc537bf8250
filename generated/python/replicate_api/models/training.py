from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.prediction_source import PredictionSource, check_prediction_source
from ..models.prediction_status import PredictionStatus, check_prediction_status

if TYPE_CHECKING:
    from ..models.prediction_metrics import PredictionMetrics
    from ..models.training_input import TrainingInput
    from ..models.training_output import TrainingOutput
    from ..models.training_urls import TrainingUrls


T = TypeVar("T", bound="Training")


@_attrs_define
class Training:
    """A fine-tuning job.

    Attributes:
        id (str):
        model (str): `owner/name` of the base model.
        version (str): Id of the base version.
        input_ (TrainingInput):
        output (None | TrainingOutput):
        logs (None | str):
        error (None | str):
        status (PredictionStatus): Lifecycle state. `starting`: queued or booting; `processing`: running; `succeeded`,
            `failed`,
            `canceled` (by request or deadline) and `aborted` (dropped before it started) are terminal.
        source (PredictionSource): Where the prediction was created.
        created_at (datetime.datetime):
        started_at (datetime.datetime | None):
        completed_at (datetime.datetime | None):
        metrics (PredictionMetrics): Timing figures, present once the prediction is terminal. Other numeric keys may
            appear.
        urls (TrainingUrls):
    """

    id: str
    model: str
    version: str
    input_: TrainingInput
    output: None | TrainingOutput
    logs: None | str
    error: None | str
    status: PredictionStatus
    source: PredictionSource
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    completed_at: datetime.datetime | None
    metrics: PredictionMetrics
    urls: TrainingUrls
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.training_output import TrainingOutput  # noqa: PLC0415

        id = self.id

        model = self.model

        version = self.version

        input_ = self.input_.to_dict()

        output: dict[str, Any] | None
        if isinstance(self.output, TrainingOutput):
            output = self.output.to_dict()
        else:
            output = self.output

        logs: None | str
        logs = self.logs

        error: None | str
        error = self.error

        status: str = self.status

        source: str = self.source

        created_at = self.created_at.isoformat()

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        completed_at: None | str
        if isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        metrics = self.metrics.to_dict()

        urls = self.urls.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "model": model,
                "version": version,
                "input": input_,
                "output": output,
                "logs": logs,
                "error": error,
                "status": status,
                "source": source,
                "created_at": created_at,
                "started_at": started_at,
                "completed_at": completed_at,
                "metrics": metrics,
                "urls": urls,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.prediction_metrics import PredictionMetrics  # noqa: PLC0415
        from ..models.training_input import TrainingInput  # noqa: PLC0415
        from ..models.training_output import TrainingOutput  # noqa: PLC0415
        from ..models.training_urls import TrainingUrls  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        model = d.pop("model")

        version = d.pop("version")

        input_ = TrainingInput.from_dict(d.pop("input"))

        def _parse_output(data: object) -> None | TrainingOutput:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_type_0 = TrainingOutput.from_dict(data)

                return output_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TrainingOutput, data)

        output = _parse_output(d.pop("output"))

        def _parse_logs(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        logs = _parse_logs(d.pop("logs"))

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        status = check_prediction_status(d.pop("status"))

        source = check_prediction_source(d.pop("source"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        started_at = _parse_started_at(d.pop("started_at"))

        def _parse_completed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_at_type_0 = datetime.datetime.fromisoformat(data)

                return completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        completed_at = _parse_completed_at(d.pop("completed_at"))

        metrics = PredictionMetrics.from_dict(d.pop("metrics"))

        urls = TrainingUrls.from_dict(d.pop("urls"))

        training = cls(
            id=id,
            model=model,
            version=version,
            input_=input_,
            output=output,
            logs=logs,
            error=error,
            status=status,
            source=source,
            created_at=created_at,
            started_at=started_at,
            completed_at=completed_at,
            metrics=metrics,
            urls=urls,
        )

        training.additional_properties = d
        return training

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
