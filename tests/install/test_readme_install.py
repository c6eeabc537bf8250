"""README.md's "Install" section names what other teams install, as the install tests build it."""

from __future__ import annotations

import json
import re

from tests.install.lock import ROOT, declared, project
from tests.readme_sections import readme_section

EXTRA_ROW = re.compile(r"^\| `(\w+)` \|", re.M)


def test_install_commands_are_shown() -> None:
    section = readme_section("Install")
    for command in (
        "pip install replicate-kit",
        'pip install "replicate-kit[mock]"',
        "npm install replicate-kit",
    ):
        assert command in section, command


def test_file_names_follow_the_versions() -> None:
    section = readme_section("Install")
    wheel = f"replicate_kit-{project()['version']}-py3-none-any.whl"
    npm = json.loads((ROOT / "ts" / "package.json").read_text())
    tarball = f"npm install ./{npm['name']}-{npm['version']}.tgz"
    assert wheel in section
    assert tarball in section


def test_extras_table_lists_every_published_extra() -> None:
    documented = set(EXTRA_ROW.findall(readme_section("Install")))
    published = set(declared()) - {"", "dev"}
    assert documented == published
