"""requirements.lock pins what pyproject.toml declares, within the declared ranges."""

from __future__ import annotations

from packaging.utils import canonicalize_name

from tests.install.lock import declared, lock_pins, project


def test_every_declared_requirement_is_pinned_in_range() -> None:
    pins = lock_pins()
    name = canonicalize_name(str(project()["name"]))
    problems = []
    for role, requirements in declared().items():
        for requirement in requirements:
            key = canonicalize_name(requirement.name)
            if key == name:
                continue  # an extra made of other extras
            pinned = pins.get(key)
            if pinned is None:
                problems.append(f"[{role}] {requirement}: not in requirements.lock")
            elif not requirement.specifier.contains(pinned, prereleases=True):
                problems.append(f"[{role}] {requirement}: the lock has {pinned}")
    assert not problems, "refresh requirements.lock (command in its header):\n" + "\n".join(
        problems
    )


def test_published_roles_use_ranges_and_dev_tools_exact_pins() -> None:
    for role, requirements in declared().items():
        for requirement in requirements:
            exact = any(spec.operator == "==" for spec in requirement.specifier)
            if role == "dev":
                assert exact, f"dev tool {requirement} must be pinned with =="
            else:
                assert not exact, (
                    f"[{role or 'core'}] {requirement}: use a range, pins live in the lock"
                )


def test_the_extras_other_teams_install_exist() -> None:
    assert {"grpc", "cli", "mock", "cog", "all"} <= set(declared())
