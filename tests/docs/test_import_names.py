"""The top-level import names the wheel installs are ours in this environment (README: Install).

``mock_server`` is also the import name of the unrelated ``mock-server`` package on PyPI, and
``replicate_api`` is a generic name: if another distribution ever provides one of our names here,
one of the two packages has overwritten the other's files, and this fails with the culprit named
instead of an obscure ImportError somewhere else.
"""

from __future__ import annotations

import importlib.util
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from tests.docs.blocks import ROOT

OURS = "replicate-kit"


def import_names() -> list[str]:
    """The top-level packages of the wheel, as pyproject.toml lists them."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages: list[str] = project["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]
    return [Path(package).name for package in packages]


def test_no_other_distribution_provides_our_import_names() -> None:
    providers = packages_distributions()
    names = import_names()
    assert {"replicate_kit", "mock_server"} <= set(names)
    assert "replicate" not in names  # the official client's name: both install side by side
    clashes = {
        name: others
        for name in names
        if (others := sorted(set(providers.get(name, [])) - {OURS, OURS.replace("-", "_")}))
    }
    assert not clashes, f"other distributions install our import names: {clashes}"


def test_our_import_names_resolve_to_this_checkout() -> None:
    for name in import_names():
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.origin is not None, name
        assert Path(spec.origin).resolve().is_relative_to(ROOT), (name, spec.origin)
