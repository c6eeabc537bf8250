"""The gRPC contract in proto/: buf lint, package rules, and the generated stubs it produces."""

from __future__ import annotations

import importlib
import importlib.util
import re
import shutil
import subprocess
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from google.protobuf import descriptor_pool

ROOT = Path(__file__).resolve().parents[2]
PROTO_ROOT = ROOT / "proto"
PROTO_DIR = PROTO_ROOT / "replicate_kit" / "v1"
PACKAGE = "replicate_kit.v1"
GENERATED_PACKAGE = "replicate_kit_grpc.v1"

# The whole RPC surface. A new RPC must be added here and to the parity table in test_parity.py.
SERVICES: dict[str, set[str]] = {
    "PredictionService": {
        "CreatePrediction",
        "GetPrediction",
        "ListPredictions",
        "CancelPrediction",
        "StreamPrediction",
    },
    "ModelService": {
        "ListModels",
        "CreateModel",
        "GetModel",
        "UpdateModel",
        "DeleteModel",
        "SearchModels",
        "ListModelExamples",
        "GetModelReadme",
        "ListModelVersions",
        "GetModelVersion",
        "DeleteModelVersion",
    },
    "TrainingService": {"CreateTraining", "GetTraining", "ListTrainings", "CancelTraining"},
    "DeploymentService": {
        "ListDeployments",
        "CreateDeployment",
        "GetDeployment",
        "UpdateDeployment",
        "DeleteDeployment",
    },
    "FileService": {"CreateFile", "GetFile", "ListFiles", "DeleteFile", "DownloadFile"},
    "AccountService": {"GetAccount"},
    "HardwareService": {"ListHardware"},
    "CollectionService": {"ListCollections", "GetCollection"},
    "WebhookService": {"GetDefaultWebhookSecret"},
    "SearchService": {"Search"},
}
SERVER_STREAMING = {"replicate_kit.v1.PredictionService.StreamPrediction"}


def _proto_files() -> list[Path]:
    files = sorted(PROTO_DIR.glob("*.proto"))
    assert files, f"no .proto files in {PROTO_DIR}"
    return files


def _generated(stem: str, suffix: str) -> ModuleType:
    name = f"{GENERATED_PACKAGE}.{stem}_{suffix}"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        pytest.fail(f"{name} is not generated ({exc}); run `make gen`")


def _load_all_generated() -> list[ModuleType]:
    return [_generated(path.stem, "pb2") for path in _proto_files()]


def test_buf_lint_passes() -> None:
    if shutil.which("npx") is None:
        pytest.skip("npx is not installed")
    if not (ROOT / "node_modules" / "@bufbuild" / "buf").is_dir():
        pytest.skip("node_modules/@bufbuild/buf is missing (run `make setup`)")
    result = subprocess.run(
        ["npx", "--no-install", "buf", "lint"],
        cwd=PROTO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""


def test_buf_config_lints_standard_and_checks_breaking_per_file() -> None:
    config = yaml.safe_load((PROTO_ROOT / "buf.yaml").read_text())
    assert config["version"] == "v2"
    assert config["modules"] == [{"path": "."}]
    assert config["lint"]["use"] == ["STANDARD"]
    assert config["breaking"]["use"] == ["FILE"]
    assert "deps" not in config, "the contract must build offline: no BSR dependencies"


@pytest.mark.parametrize("path", _proto_files(), ids=lambda p: p.name)
def test_proto_file_uses_our_package_and_only_local_or_well_known_imports(path: Path) -> None:
    text = path.read_text()
    assert re.findall(r"^package\s+([\w.]+);", text, re.MULTILINE) == [PACKAGE]
    for imported in re.findall(r'^import\s+"([^"]+)";', text, re.MULTILINE):
        if imported.startswith("google/protobuf/"):
            continue
        if imported == "google/api/annotations.proto":  # the google.api.http option
            assert (PROTO_ROOT / imported).is_file(), "run scripts/gen_proto_deps.py"
            continue
        assert imported.startswith("replicate_kit/v1/"), f"{path.name} imports {imported}"
        assert (PROTO_ROOT / imported).is_file(), f"{path.name} imports missing {imported}"


@pytest.mark.parametrize("path", _proto_files(), ids=lambda p: p.name)
def test_every_proto_file_has_generated_modules(path: Path) -> None:
    messages = _generated(path.stem, "pb2")
    _generated(path.stem, "pb2_grpc")
    assert messages.DESCRIPTOR.name == f"replicate_kit/v1/{path.name}"
    assert messages.DESCRIPTOR.package == PACKAGE


def test_generated_package_is_not_named_like_the_official_client() -> None:
    module = _generated("predictions", "pb2")
    assert module.__name__.split(".")[0] == "replicate_kit_grpc"
    assert not module.__name__.startswith("replicate.")


def test_every_service_is_in_the_descriptor_pool_with_its_methods() -> None:
    _load_all_generated()
    pool = descriptor_pool.Default()
    declared = {
        service.name
        for module in _load_all_generated()
        for service in module.DESCRIPTOR.services_by_name.values()
    }
    assert declared == set(SERVICES)
    for name, methods in SERVICES.items():
        service = pool.FindServiceByName(f"{PACKAGE}.{name}")
        assert set(service.methods_by_name) == methods, name


def test_every_service_has_a_stub_servicer_and_registration_function() -> None:
    for module in _load_all_generated():
        stem = module.DESCRIPTOR.name.rsplit("/", 1)[-1].removesuffix(".proto")
        grpc_module = _generated(stem, "pb2_grpc")
        for service in module.DESCRIPTOR.services_by_name:
            assert hasattr(grpc_module, f"{service}Stub")
            assert hasattr(grpc_module, f"{service}Servicer")
            assert hasattr(grpc_module, f"add_{service}Servicer_to_server")


def test_only_stream_prediction_streams() -> None:
    pool = descriptor_pool.Default()
    _load_all_generated()
    for name, methods in SERVICES.items():
        service = pool.FindServiceByName(f"{PACKAGE}.{name}")
        for method_name in methods:
            method = service.methods_by_name[method_name]
            full_name = f"{PACKAGE}.{name}.{method_name}"
            assert not method.client_streaming, full_name
            assert method.server_streaming == (full_name in SERVER_STREAMING), full_name


def test_prediction_status_enum_has_unspecified_zero_and_the_six_states() -> None:
    common = _generated("common", "pb2")
    values = {value.name: value.number for value in common.PredictionStatus.DESCRIPTOR.values}
    assert values["PREDICTION_STATUS_UNSPECIFIED"] == 0
    assert set(values) == {
        f"PREDICTION_STATUS_{state}"
        for state in (
            "UNSPECIFIED",
            "STARTING",
            "PROCESSING",
            "SUCCEEDED",
            "FAILED",
            "CANCELED",
            "ABORTED",
        )
    }


def test_create_prediction_targets_are_one_of_version_model_deployment() -> None:
    predictions = _generated("predictions", "pb2")
    oneof = predictions.CreatePredictionRequest.DESCRIPTOR.oneofs_by_name["target"]
    assert {field.name for field in oneof.fields} == {"version", "model", "deployment"}
    request = predictions.CreatePredictionRequest(model="acme/echo")
    request.deployment = "acme/prod"
    assert request.WhichOneof("target") == "deployment"
    assert not request.HasField("model")


def test_google_api_protos_are_the_installed_package_files() -> None:
    """proto/google/api/ must be what googleapis-common-protos (whose _pb2 the stubs import) ships."""
    spec = importlib.util.find_spec("google.api.annotations_pb2")
    assert spec is not None and spec.origin is not None
    installed = Path(spec.origin).parents[2]
    for name in ("google/api/annotations.proto", "google/api/http.proto"):
        assert (PROTO_ROOT / name).read_bytes() == (installed / name).read_bytes(), (
            f"{name} differs from the installed package: run scripts/gen_proto_deps.py"
        )
