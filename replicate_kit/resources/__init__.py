"""API resources (``client.predictions``, ``client.models``, ...), one module each.

Every method is written once, as a flow (:mod:`replicate_kit._methods`): ``Client``'s
resources run it blocking with an ``async_`` twin derived from it, ``AsyncClient``'s run it
awaited under the plain name, and ``with_raw_response`` returns its ``RawResponse``.
"""

from replicate_kit.resources.accounts import Accounts
from replicate_kit.resources.collections import Collections
from replicate_kit.resources.deployments import (
    DeploymentPredictions,
    Deployments,
    DeploymentsPredictions,
)
from replicate_kit.resources.files import Files
from replicate_kit.resources.hardware import HardwareResource
from replicate_kit.resources.models import Models, ModelsPredictions, Versions
from replicate_kit.resources.predictions import Predictions
from replicate_kit.resources.search import Search
from replicate_kit.resources.trainings import Trainings
from replicate_kit.resources.webhooks import WebhookDefaults, Webhooks

__all__ = [
    "Accounts",
    "Collections",
    "DeploymentPredictions",
    "Deployments",
    "DeploymentsPredictions",
    "Files",
    "HardwareResource",
    "Models",
    "ModelsPredictions",
    "Predictions",
    "Search",
    "Trainings",
    "Versions",
    "WebhookDefaults",
    "Webhooks",
]
