"""The generated types under real type checkers: mypy --strict, pyright and tsc --strict each run
once over a correct program and a program of mistakes (one mistake per marked line). The three
run at the same time, from one fixture, to keep the suite's wall time near the slowest of them."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.readme_sections import readme_section

from .conftest import HERE, PACKAGE, ROOT

PROGRAMS = HERE / "programs"
NODE_BIN = ROOT / "node_modules" / ".bin"
MARK = re.compile(r"#\s*(error|names): (\S+)|//\s*error: (\S+)")
TIMEOUT = 180


def _marks(path: Path) -> dict[int, tuple[str, str]]:
    """line number -> (kind, word) for every marked line."""
    marks = {}
    for number, line in enumerate(path.read_text().splitlines(), 1):
        found = MARK.search(line)
        if found:
            kind = found.group(1) or "error"
            marks[number] = (kind, found.group(2) or found.group(3))
    return marks


def _errors(output: str, header: str) -> dict[int, str]:
    """line -> every message reported at that line of the bad program (header: a regex whose
    group 1 is the line; a message runs until the next header of any file)."""
    errors: dict[int, str] = {}
    parts = re.split(rf"^(?=\s*\S*{header})", output, flags=re.M)
    for part in parts:
        found = re.match(rf"\s*\S*bad_program\.\w+{header}", part)
        if found:
            line = int(found.group(1))
            errors[line] = errors.get(line, "") + part
    return errors


def _tsc_setup(root: Path) -> None:
    (root / "package.json").write_text('{"type": "module"}\n')
    modules = root / "node_modules"
    modules.mkdir(exist_ok=True)
    if not (modules / "replicate-kit").exists():
        (modules / "replicate-kit").symlink_to(ROOT / "ts")
    options = {
        "target": "ES2022",
        "lib": ["ES2023"],
        "module": "NodeNext",
        "moduleResolution": "NodeNext",
        "strict": True,
        "noEmit": True,
        "skipLibCheck": True,
        "types": ["node"],
        "typeRoots": [str(ROOT / "ts" / "node_modules" / "@types")],
    }
    # README's TypeScript example compiles too, against the same generated models.
    (ts_block,) = re.findall(r"```ts\n(.*?)```", readme_section("Typed models"), re.S)
    (root / "readme_program.ts").write_text(ts_block.replace("./replicate-models/", "./ts_models/"))
    files = ["ok_program.ts", "bad_program.ts", "readme_program.ts"]
    config = {"compilerOptions": options, "files": files}
    (root / "tsconfig.json").write_text(json.dumps(config))
    if not (ROOT / "ts" / "dist" / "ts" / "src" / "index.d.ts").is_file():
        # The client's declarations, built once if no build is there yet.
        tsconfig = str(ROOT / "ts" / "tsconfig.json")
        subprocess.run([str(NODE_BIN / "tsc"), "-p", tsconfig], check=True, timeout=TIMEOUT)


@pytest.fixture(scope="module")
def outputs(generated: Path) -> dict[str, str]:
    """checker -> its combined output over the programs in the generated tree."""
    for program in PROGRAMS.iterdir():
        shutil.copy(program, generated / program.name)
    pyright_config = {"pythonVersion": "3.11", "venvPath": str(ROOT), "venv": ".venv"}
    (generated / "pyrightconfig.json").write_text(json.dumps(pyright_config))
    _tsc_setup(generated)
    python_files = [PACKAGE, "ok_program.py", "bad_program.py"]
    commands = {
        "mypy": [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--config-file",
            "",
            "--hide-error-context",
            "--no-error-summary",
            *python_files,
        ],
        "pyright": [str(NODE_BIN / "pyright"), *python_files],
        # --pretty adds where the expected type comes from: that names the field.
        "tsc": [str(NODE_BIN / "tsc"), "-p", "tsconfig.json", "--pretty", "true"],
    }
    running = {
        name: subprocess.Popen(
            command, cwd=generated, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        for name, command in commands.items()
    }
    found: dict[str, str] = {}
    try:
        for name, process in running.items():
            out, _ = process.communicate(timeout=TIMEOUT)
            found[name] = re.sub(r"\x1b\[[0-9;]*m", "", out)
    finally:
        for process in running.values():
            if process.poll() is None:
                process.kill()
    return found


def test_mypy_strict_accepts_correct_use_and_rejects_each_mistake(
    outputs: dict[str, str], generated: Path
) -> None:
    output = outputs["mypy"]
    assert "ok_program.py" not in output, output
    assert not re.search(rf"^{PACKAGE}/", output, re.M), output
    errors = _errors(output, r":(\d+): (?:error|note)")
    for line, (kind, word) in _marks(generated / "bad_program.py").items():
        assert line in errors, f"mypy accepted bad_program.py:{line}\n{output}"
        if kind == "names":  # an inline dict gets "no overload variant"; a typed one its field
            field = word.split("|")[0]
            assert f'"{field}"' in errors[line], errors[line]


def test_pyright_accepts_correct_use_and_names_the_field_of_each_mistake(
    outputs: dict[str, str], generated: Path
) -> None:
    output = outputs["pyright"]
    assert "ok_program.py:" not in output, output
    assert f"{PACKAGE}/" not in output.replace(str(generated), ""), output
    errors = _errors(output, r":(\d+):\d+ - error")
    for line, (_kind, word) in _marks(generated / "bad_program.py").items():
        assert line in errors, f"pyright accepted bad_program.py:{line}\n{output}"
        # Pyright names the key of a missing or unknown item; of a wrong value only the type.
        assert any(alternative in errors[line] for alternative in word.split("|")), errors[line]


def test_tsc_strict_accepts_correct_use_and_names_the_field_of_each_mistake(
    outputs: dict[str, str], generated: Path
) -> None:
    output = outputs["tsc"]
    headers = re.findall(r"^(\S+):(\d+):\d+ - error", output, re.M)
    assert {file for file, _ in headers} <= {"bad_program.ts"}, output
    errors = _errors(output, r":(\d+):\d+ - error")
    for line, (_kind, word) in _marks(generated / "bad_program.ts").items():
        assert line in errors, f"tsc accepted bad_program.ts:{line}\n{output}"
        assert word in errors[line], errors[line]
