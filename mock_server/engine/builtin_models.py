"""The built-in model catalogue, each version with a Cog-style openapi_schema."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mock_server.engine.catalogue import Catalogue, Model, Version
from mock_server.engine.ids import stable_hex
from mock_server.engine.runners import Runner
from mock_server.engine.runners import builtin as run
from mock_server.engine.schema import (
    Field,
    any_output,
    cog_document,
    files_output,
    input_schema,
    string_output,
    token_stream_output,
)

HELLO_WORLD_VERSION = "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"
STABLE_DIFFUSION_VERSION = "ac732df83cea7fff18b8472768c88ad041fa750ff7682a21affe81863cbe77e4"
SDXL_VERSION = "39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b"

# Catalogue entries predate any virtual clock: fixed instants keep them deterministic.
_CREATED = 1704067200.0  # 2024-01-01T00:00:00Z

_SCHEDULERS = ("DDIM", "K_EULER", "DPMSolverMultistep", "K_EULER_ANCESTRAL", "PNDM", "KLMS")
_SIZES = tuple(range(64, 1025, 64))


@dataclass(frozen=True)
class BuiltinSpec:
    owner: str
    name: str
    description: str
    fields: list[Field]
    output: dict[str, Any]
    runner: Runner
    version: str = ""
    official: bool = False
    hardware: str = "cpu"
    readme: str | None = None
    training_fields: list[Field] | None = None
    training_runner: Runner | None = None


def _llm_fields() -> list[Field]:
    return [
        Field("prompt", "string", default="", description="Prompt to send to the model."),
        Field(
            "system_prompt",
            "string",
            default="You are a helpful assistant",
            description="System prompt to send to the model.",
        ),
        Field("max_tokens", "integer", default=512, ge=1, description="Maximum tokens."),
        Field("min_tokens", "integer", default=0, ge=0, description="Minimum tokens."),
        Field("temperature", "number", default=0.6, ge=0, le=5),
        Field("top_p", "number", default=0.9, ge=0, le=1),
        Field("top_k", "integer", default=50, ge=-1),
        Field("presence_penalty", "number", default=1.15),
        Field("frequency_penalty", "number", default=0.2),
        Field("stop_sequences", "string", default="<|end_of_text|>,<|eot_id|>"),
        Field("prompt_template", "string", default="{prompt}"),
        Field("seed", "integer", nullable=True, description="Random seed."),
    ]


def _image_fields(default_size: int, default_prompt: str) -> list[Field]:
    return [
        Field("prompt", "string", default=default_prompt, description="Input prompt"),
        Field("negative_prompt", "string", nullable=True, description="What not to draw"),
        Field("width", "integer", default=default_size, choices=_SIZES),
        Field("height", "integer", default=default_size, choices=_SIZES),
        Field("num_outputs", "integer", default=1, ge=1, le=4, description="Images to output."),
        Field("num_inference_steps", "integer", default=50, ge=1, le=500),
        Field("guidance_scale", "number", default=7.5, ge=1, le=20),
        Field("scheduler", "string", default="DPMSolverMultistep", choices=_SCHEDULERS),
        Field(
            "seed", "integer", nullable=True, description="Random seed. Leave blank to randomize"
        ),
    ]


def builtin_specs() -> list[BuiltinSpec]:
    return [
        BuiltinSpec(
            "replicate",
            "hello-world",
            "A tiny model that says hello",
            [Field("text", "string", description="Text to prefix with 'hello '")],
            string_output(),
            run.hello_world,
            version=HELLO_WORLD_VERSION,
            readme="# hello-world\n\nReturns `hello ` followed by your text.\n",
        ),
        BuiltinSpec(
            "meta",
            "meta-llama-3-8b-instruct",
            "An 8 billion parameter chat model (mock)",
            _llm_fields(),
            token_stream_output(),
            run.llm,
            official=True,
            hardware="gpu-a40-large",
            readme="# Meta Llama 3 8B Instruct\n\nMock: deterministic tokens from prompt and seed.\n",
        ),
        BuiltinSpec(
            "meta",
            "llama-3-70b-instruct",
            "A 70 billion parameter chat model (mock)",
            _llm_fields(),
            token_stream_output(),
            run.llm,
            official=True,
            hardware="gpu-a40-large",
        ),
        BuiltinSpec(
            "stability-ai",
            "stable-diffusion",
            "A latent text-to-image diffusion model (mock: small gradient PNGs)",
            _image_fields(768, "a vision of paradise. unreal engine"),
            files_output(),
            run.image,
            version=STABLE_DIFFUSION_VERSION,
            hardware="gpu-a40-large",
        ),
        BuiltinSpec(
            "stability-ai",
            "sdxl",
            "A text-to-image generative model (mock: small gradient PNGs)",
            _image_fields(1024, "An astronaut riding a rainbow unicorn"),
            files_output(),
            run.image,
            version=SDXL_VERSION,
            hardware="gpu-a40-large",
        ),
        BuiltinSpec(
            "mock",
            "echo",
            "Returns `value` if given, else `text`",
            [
                Field("text", "string", default="", description="Text to return"),
                Field("value", "any", nullable=True, description="Any JSON to return"),
            ],
            any_output(),
            run.echo,
        ),
        BuiltinSpec(
            "mock",
            "fail",
            "Logs a traceback and fails with `message`",
            [Field("message", "string", default="Something went wrong")],
            string_output(),
            run.fail,
        ),
        BuiltinSpec(
            "mock",
            "slow",
            "Runs for `duration` seconds, logging a tick per second",
            [Field("duration", "number", default=60.0, ge=0, le=86400)],
            string_output(),
            run.slow,
        ),
        BuiltinSpec(
            "mock",
            "trainer",
            "A trainable model: its trainings add a version to the destination",
            [Field("prompt", "string", default="")],
            string_output(),
            run.trainer,
            training_fields=[
                Field("steps", "integer", default=10, ge=1, le=1000),
                Field("learning_rate", "number", default=0.0001, ge=0),
                Field("train_data", "uri", nullable=True, description="Training data archive"),
            ],
            training_runner=run.trainer_training,
        ),
    ]


def training_document(fields: list[Field]) -> dict[str, Any]:
    component, extra = input_schema(fields)
    component["title"] = "TrainingInput"
    output = {
        "type": "object",
        "title": "TrainingOutput",
        "properties": {"weights": {"type": "string", "format": "uri", "title": "Weights"}},
        "required": ["weights"],
    }
    return {
        "openapi": "3.0.2",
        "info": {"title": "Cog", "version": "0.1.0"},
        "paths": {},
        "components": {"schemas": {"TrainingInput": component, "TrainingOutput": output, **extra}},
    }


def build_version(spec: BuiltinSpec, version_id: str) -> Version:
    component, extra = input_schema(spec.fields)
    document = cog_document(component, spec.output, extra)
    training_schema = None
    if spec.training_fields is not None:
        training_schema = training_document(spec.training_fields)
        document["components"]["schemas"].update(training_schema["components"]["schemas"])
    return Version(
        id=version_id,
        model=f"{spec.owner}/{spec.name}",
        created_at=_CREATED,
        openapi_schema=document,
        runner=spec.runner,
        training_runner=spec.training_runner,
        training_schema=training_schema,
    )


def install(catalogue: Catalogue, specs: list[BuiltinSpec] | None = None) -> None:
    for spec in specs or builtin_specs():
        version_id = spec.version or stable_hex(spec.owner, spec.name, "builtin")
        model = Model(
            owner=spec.owner,
            name=spec.name,
            created_at=_CREATED,
            seq=catalogue.next_seq(),
            description=spec.description,
            is_official=spec.official,
            hardware=spec.hardware,
            readme=spec.readme,
        )
        catalogue.add_model(model)
        catalogue.add_version(model, build_version(spec, version_id))
