from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.prediction_source import PredictionSource, check_prediction_source
from ..models.prediction_status import PredictionStatus, check_prediction_status
from ..types import UNSET, Unset

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
        status (PredictionStatus): Lifecycle state. `starting`: queued or booting; `processing`: running; `succeeded`,
            `failed`,
            `canceled` (by request or deadline) and `aborted` (dropped before it started) are terminal.
        created_at (datetime.datetime):
        urls (TrainingUrls):
        output (None | TrainingOutput | Unset):
        logs (None | str | Unset):
        error (None | str | Unset):
        source (PredictionSource | Unset): Where the prediction was created.
        started_at (datetime.datetime | None | Unset):
        completed_at (datetime.datetime | None | Unset):
        metrics (PredictionMetrics | Unset): Timing figures, present once the prediction is terminal. Other numeric keys
            may appear.
    """

    id: str
    model: str
    version: str
    input_: TrainingInput
    status: PredictionStatus
    created_at: datetime.datetime
    urls: TrainingUrls
    output: None | TrainingOutput | Unset = UNSET
    logs: None | str | Unset = UNSET
    error: None | str | Unset = UNSET
    source: PredictionSource | Unset = UNSET
    started_at: datetime.datetime | None | Unset = UNSET
    completed_at: datetime.datetime | None | Unset = UNSET
    metrics: PredictionMetrics | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.training_output import TrainingOutput  # noqa: PLC0415

        id = self.id

        model = self.model

        version = self.version

        input_ = self.input_.to_dict()

        status: str = self.status

        created_at = self.created_at.isoformat()

        urls = self.urls.to_dict()

        output: dict[str, Any] | None | Unset
        if isinstance(self.output, Unset):
            output = UNSET
        elif isinstance(self.output, TrainingOutput):
            output = self.output.to_dict()
        else:
            output = self.output

        logs: None | str | Unset
        if isinstance(self.logs, Unset):
            logs = UNSET
        else:
            logs = self.logs

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        source: str | Unset = UNSET
        if not isinstance(self.source, Unset):
            source = self.source

        started_at: None | str | Unset
        if isinstance(self.started_at, Unset):
            started_at = UNSET
        elif isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        completed_at: None | str | Unset
        if isinstance(self.completed_at, Unset):
            completed_at = UNSET
        elif isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        metrics: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metrics, Unset):
            metrics = self.metrics.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "model": model,
                "version": version,
                "input": input_,
                "status": status,
                "created_at": created_at,
                "urls": urls,
            }
        )
        if output is not UNSET:
            field_dict["output"] = output
        if logs is not UNSET:
            field_dict["logs"] = logs
        if error is not UNSET:
            field_dict["error"] = error
        if source is not UNSET:
            field_dict["source"] = source
        if started_at is not UNSET:
            field_dict["started_at"] = started_at
        if completed_at is not UNSET:
            field_dict["completed_at"] = completed_at
        if metrics is not UNSET:
            field_dict["metrics"] = metrics

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

        status = check_prediction_status(d.pop("status"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        urls = TrainingUrls.from_dict(d.pop("urls"))

        def _parse_output(data: object) -> None | TrainingOutput | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_type_0 = TrainingOutput.from_dict(data)

                return output_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TrainingOutput | Unset, data)

        output = _parse_output(d.pop("output", UNSET))

        def _parse_logs(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        logs = _parse_logs(d.pop("logs", UNSET))

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        _source = d.pop("source", UNSET)
        source: PredictionSource | Unset
        if isinstance(_source, Unset):
            source = UNSET
        else:
            source = check_prediction_source(_source)

        def _parse_started_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        started_at = _parse_started_at(d.pop("started_at", UNSET))

        def _parse_completed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_at_type_0 = datetime.datetime.fromisoformat(data)

                return completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        completed_at = _parse_completed_at(d.pop("completed_at", UNSET))

        _metrics = d.pop("metrics", UNSET)
        metrics: PredictionMetrics | Unset
        if isinstance(_metrics, Unset):
            metrics = UNSET
        else:
            metrics = PredictionMetrics.from_dict(_metrics)

        training = cls(
            id=id,
            model=model,
            version=version,
            input_=input_,
            status=status,
            created_at=created_at,
            urls=urls,
            output=output,
            logs=logs,
            error=error,
            source=source,
            started_at=started_at,
            completed_at=completed_at,
            metrics=metrics,
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
