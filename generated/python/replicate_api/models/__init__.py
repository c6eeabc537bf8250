"""Contains all the data models used in inputs/outputs"""

from .account import Account
from .account_type import AccountType
from .cog_open_api_document import CogOpenApiDocument
from .collection import Collection
from .collection_summary import CollectionSummary
from .collection_summary_page import CollectionSummaryPage
from .deployment import Deployment
from .deployment_configuration import DeploymentConfiguration
from .deployment_create_request import DeploymentCreateRequest
from .deployment_page import DeploymentPage
from .deployment_release import DeploymentRelease
from .deployment_update_request import DeploymentUpdateRequest
from .file_checksums import FileChecksums
from .file_object import FileObject
from .file_object_metadata import FileObjectMetadata
from .file_page import FilePage
from .file_upload_form import FileUploadForm
from .file_upload_form_metadata import FileUploadFormMetadata
from .file_urls import FileUrls
from .hardware import Hardware
from .invalid_field import InvalidField
from .model import Model
from .model_create_request import ModelCreateRequest
from .model_page import ModelPage
from .model_update_request import ModelUpdateRequest
from .model_version import ModelVersion
from .model_version_page import ModelVersionPage
from .models_list_sort_by import ModelsListSortBy
from .models_list_sort_direction import ModelsListSortDirection
from .prediction import Prediction
from .prediction_input import PredictionInput
from .prediction_metrics import PredictionMetrics
from .prediction_page import PredictionPage
from .prediction_request import PredictionRequest
from .prediction_request_input import PredictionRequestInput
from .prediction_source import PredictionSource
from .prediction_status import PredictionStatus
from .prediction_urls import PredictionUrls
from .predictions_list_source import PredictionsListSource
from .problem import Problem
from .search_collection_hit import SearchCollectionHit
from .search_model_hit import SearchModelHit
from .search_model_metadata import SearchModelMetadata
from .search_page_hit import SearchPageHit
from .search_results import SearchResults
from .stream_done_data import StreamDoneData
from .stream_done_data_reason import StreamDoneDataReason
from .stream_done_event import StreamDoneEvent
from .stream_error_data import StreamErrorData
from .stream_error_event import StreamErrorEvent
from .stream_logs_event import StreamLogsEvent
from .stream_output_event import StreamOutputEvent
from .training import Training
from .training_input import TrainingInput
from .training_output import TrainingOutput
from .training_page import TrainingPage
from .training_request import TrainingRequest
from .training_request_input import TrainingRequestInput
from .training_urls import TrainingUrls
from .version_prediction_request import VersionPredictionRequest
from .version_prediction_request_input import VersionPredictionRequestInput
from .visibility import Visibility
from .webhook_event_type import WebhookEventType
from .webhook_signing_secret import WebhookSigningSecret

__all__ = (
    "Account",
    "AccountType",
    "CogOpenApiDocument",
    "Collection",
    "CollectionSummary",
    "CollectionSummaryPage",
    "Deployment",
    "DeploymentConfiguration",
    "DeploymentCreateRequest",
    "DeploymentPage",
    "DeploymentRelease",
    "DeploymentUpdateRequest",
    "FileChecksums",
    "FileObject",
    "FileObjectMetadata",
    "FilePage",
    "FileUploadForm",
    "FileUploadFormMetadata",
    "FileUrls",
    "Hardware",
    "InvalidField",
    "Model",
    "ModelCreateRequest",
    "ModelPage",
    "ModelsListSortBy",
    "ModelsListSortDirection",
    "ModelUpdateRequest",
    "ModelVersion",
    "ModelVersionPage",
    "Prediction",
    "PredictionInput",
    "PredictionMetrics",
    "PredictionPage",
    "PredictionRequest",
    "PredictionRequestInput",
    "PredictionsListSource",
    "PredictionSource",
    "PredictionStatus",
    "PredictionUrls",
    "Problem",
    "SearchCollectionHit",
    "SearchModelHit",
    "SearchModelMetadata",
    "SearchPageHit",
    "SearchResults",
    "StreamDoneData",
    "StreamDoneDataReason",
    "StreamDoneEvent",
    "StreamErrorData",
    "StreamErrorEvent",
    "StreamLogsEvent",
    "StreamOutputEvent",
    "Training",
    "TrainingInput",
    "TrainingOutput",
    "TrainingPage",
    "TrainingRequest",
    "TrainingRequestInput",
    "TrainingUrls",
    "VersionPredictionRequest",
    "VersionPredictionRequestInput",
    "Visibility",
    "WebhookEventType",
    "WebhookSigningSecret",
)
