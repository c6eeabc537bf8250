"""A mistake on each marked line: mypy rejects them all and names the field where it can."""

from __future__ import annotations

from typing import Final

from typed_models import ChatLlmInput, SdxlInput, typed

from replicate_kit import Client

LLAMA: Final = "meta/meta-llama-3-8b-instruct"
view = typed(Client("r8_x"))
view.run(LLAMA, input={"prompt": "hi", "max_tokens": "x"})  # error: max_tokens|"int"
view.run("stability-ai/sdxl", input={"promt": "a fox"})  # error: promt
view.run("acme/chat-llm", input={"max_new_tokens": 3})  # error: prompt
view.run("stability-ai/sdxl", input={"scheduler": "FAST"})  # error: scheduler|Scheduler
view.stream("replicate/hello-world", input={"txt": "x"})  # error: txt
view.predictions.create(model="acme/flux-fast", input={"prompt": 1})  # error: prompt|"str"
count: int = view.run("replicate/hello-world", input={"text": "x"})  # error: int
typo: SdxlInput = {"promt": "x"}  # names: promt
wrong: SdxlInput = {"num_outputs": "2"}  # names: num_outputs|"int"
missing: ChatLlmInput = {"max_new_tokens": 3}  # names: prompt
