"""Which HTTP operation each RPC is: the gRPC adapter runs that operation's route.

One row per RPC of ``proto/replicate_kit/v1`` (``tests/grpc`` checks the table against the
proto and the OpenAPI document). Request fields named in the path template fill it; the
other fields become query parameters (GET, DELETE) or the JSON body (POST, PATCH), except
the few that travel as headers or under another name (see ``convert``).
"""

from __future__ import annotations

from dataclasses import dataclass

PACKAGE = "replicate_kit.v1"


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # template with {field} placeholders, e.g. /v1/predictions/{prediction_id}


_MODEL = "/v1/models/{model_owner}/{model_name}"
_DEPLOYMENT = "/v1/deployments/{deployment_owner}/{deployment_name}"

ROUTES: dict[str, Route] = {
    "AccountService.GetAccount": Route("GET", "/v1/account"),
    "CollectionService.ListCollections": Route("GET", "/v1/collections"),
    "CollectionService.GetCollection": Route("GET", "/v1/collections/{collection_slug}"),
    "DeploymentService.ListDeployments": Route("GET", "/v1/deployments"),
    "DeploymentService.CreateDeployment": Route("POST", "/v1/deployments"),
    "DeploymentService.GetDeployment": Route("GET", _DEPLOYMENT),
    "DeploymentService.UpdateDeployment": Route("PATCH", _DEPLOYMENT),
    "DeploymentService.DeleteDeployment": Route("DELETE", _DEPLOYMENT),
    "FileService.CreateFile": Route("POST", "/v1/files"),
    "FileService.GetFile": Route("GET", "/v1/files/{file_id}"),
    "FileService.ListFiles": Route("GET", "/v1/files"),
    "FileService.DeleteFile": Route("DELETE", "/v1/files/{file_id}"),
    "FileService.DownloadFile": Route("GET", "/v1/files/{file_id}/download"),
    "HardwareService.ListHardware": Route("GET", "/v1/hardware"),
    "ModelService.ListModels": Route("GET", "/v1/models"),
    "ModelService.CreateModel": Route("POST", "/v1/models"),
    "ModelService.GetModel": Route("GET", _MODEL),
    "ModelService.UpdateModel": Route("PATCH", _MODEL),
    "ModelService.DeleteModel": Route("DELETE", _MODEL),
    "ModelService.SearchModels": Route("QUERY", "/v1/models"),
    "ModelService.ListModelExamples": Route("GET", _MODEL + "/examples"),
    "ModelService.GetModelReadme": Route("GET", _MODEL + "/readme"),
    "ModelService.ListModelVersions": Route("GET", _MODEL + "/versions"),
    "ModelService.GetModelVersion": Route("GET", _MODEL + "/versions/{version_id}"),
    "ModelService.DeleteModelVersion": Route("DELETE", _MODEL + "/versions/{version_id}"),
    # The target oneof picks one of three routes; see convert.create_prediction_route.
    "PredictionService.CreatePrediction": Route("POST", "/v1/predictions"),
    "PredictionService.GetPrediction": Route("GET", "/v1/predictions/{prediction_id}"),
    "PredictionService.ListPredictions": Route("GET", "/v1/predictions"),
    "PredictionService.CancelPrediction": Route("POST", "/v1/predictions/{prediction_id}/cancel"),
    "PredictionService.StreamPrediction": Route("GET", "/v1/predictions/{prediction_id}/stream"),
    "SearchService.Search": Route("GET", "/v1/search"),
    "TrainingService.CreateTraining": Route("POST", _MODEL + "/versions/{version_id}/trainings"),
    "TrainingService.GetTraining": Route("GET", "/v1/trainings/{training_id}"),
    "TrainingService.ListTrainings": Route("GET", "/v1/trainings"),
    "TrainingService.CancelTraining": Route("POST", "/v1/trainings/{training_id}/cancel"),
    "WebhookService.GetDefaultWebhookSecret": Route("GET", "/v1/webhooks/default/secret"),
}
