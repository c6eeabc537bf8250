"""The generated types under real type checkers: mypy --strict, pyright and tsc --strict each run
once over a correct program and a program of mistakes (one mistake per marked line)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import HERE, PACKAGE, ROOT

PROGRAMS = HERE / "programs"
NODE_BIN = ROOT / "node_modules" / ".bin"
MARK = re.compile(r"#\s*(error|names): (\S+)|//\s*error: (\S+)")


def _marks(path: Path) -> dict[int, tuple[str, str]]:
    """line number -> (kind, word) for every marked line."""
    marks = {}
    for number, line in enumerate(path.read_text().splitlines(), 1):
        found = MARK.search(line)
        if found:
            kind = found.group(1) or "error"
            marks[number] = (kind, found.group(2) or found.group(3))
    return marks


def _errors(output: str, file: str, pattern: str) -> dict[int, str]:
    """line -> all error text reported for ``file`` (continuation lines included)."""
    errors: dict[int, str] = {}
    current: int | None = None
    for line in output.splitlines():
        found = re.search(pattern.format(file=re.escape(file)), line)
        if found:
            current = int(found.group(1))
            errors[current] = errors.get(current, "") + line + "\n"
        elif current is not None and line.startswith((" ", "\t")):
            errors[current] += line + "\n"
        else:
            current = None
    return errors


def _copy_programs(root: Path, suffix: str) -> None:
    for program in PROGRAMS.glob(f"*{suffix}"):
        shutil.copy(program, root / program.name)


def test_mypy_strict_accepts_correct_use_and_rejects_each_mistake(generated: Path) -> None:
    _copy_programs(generated, ".py")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--config-file",
            "",
            "--hide-error-context",
            "--no-error-summary",
            PACKAGE,
            "ok_program.py",
            "bad_program.py",
        ],
        cwd=generated,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = done.stdout + done.stderr
    assert "ok_program.py" not in output, output
    assert not re.search(rf"^{PACKAGE}/", output, re.M), output
    errors = _errors(output, "bad_program.py", r"^{file}:(\d+): (?:error|note)")
    for line, (kind, word) in _marks(generated / "bad_program.py").items():
        assert line in errors, f"mypy accepted bad_program.py:{line}\n{output}"
        if kind == "names":
            field = word.split("|")[0]
            assert f'"{field}"' in errors[line], errors[line]


def test_pyright_accepts_correct_use_and_names_the_field_of_each_mistake(generated: Path) -> None:
    _copy_programs(generated, ".py")
    (generated / "pyrightconfig.json").write_text(
        json.dumps(
            {
                "pythonVersion": "3.11",
                "typeCheckingMode": "standard",
                "venvPath": str(ROOT),
                "venv": ".venv",
            }
        )
    )
    done = subprocess.run(
        [str(NODE_BIN / "pyright"), PACKAGE, "ok_program.py", "bad_program.py"],
        cwd=generated,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYRIGHT_PYTHON_FORCE_VERSION": ""},
    )
    output = done.stdout + done.stderr
    assert "ok_program.py:" not in output, output
    assert f"{PACKAGE}/" not in output.replace(str(generated), ""), output
    errors = _errors(output, "bad_program.py", r"{file}:(\d+):\d+ - error")
    for line, (_kind, word) in _marks(generated / "bad_program.py").items():
        assert line in errors, f"pyright accepted bad_program.py:{line}\n{output}"
        # Pyright names the key of a missing or unknown item; of a wrong value only the type.
        assert any(alternative in errors[line] for alternative in word.split("|")), errors[line]


@pytest.fixture(scope="module")
def ts_client_types() -> Path:
    """The TypeScript client's declarations, built once if no build is there yet."""
    index = ROOT / "ts" / "dist" / "ts" / "src" / "index.d.ts"
    if not index.is_file():
        subprocess.run(
            [str(NODE_BIN / "tsc"), "-p", str(ROOT / "ts" / "tsconfig.json")],
            check=True,
            timeout=300,
            capture_output=True,
        )
    return index


def test_tsc_strict_accepts_correct_use_and_names_the_field_of_each_mistake(
    generated: Path, ts_client_types: Path
) -> None:
    _copy_programs(generated, ".ts")
    (generated / "package.json").write_text('{"type": "module"}\n')
    modules = generated / "node_modules"
    modules.mkdir(exist_ok=True)
    if not (modules / "replicate-kit").exists():
        (modules / "replicate-kit").symlink_to(ROOT / "ts")
    config = {
        "compilerOptions": {
            "target": "ES2022",
            "lib": ["ES2023"],
            "module": "NodeNext",
            "moduleResolution": "NodeNext",
            "strict": true_,
            "noEmit": true_,
            "skipLibCheck": true_,
            "types": ["node"],
            "typeRoots": [str(ROOT / "ts" / "node_modules" / "@types")],
        },
        "files": ["ok_program.ts", "bad_program.ts"],
    }
    (generated / "tsconfig.json").write_text(json.dumps(config))
    done = subprocess.run(
        # --pretty adds where the expected type comes from: that names the field.
        [str(NODE_BIN / "tsc"), "-p", "tsconfig.json", "--pretty", "true"],
        cwd=generated,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr)
    headers = re.findall(r"^(\S+):(\d+):\d+ - error", output, re.M)
    assert {file for file, _ in headers} <= {"bad_program.ts"}, output
    blocks = re.split(r"^(?=\S+:\d+:\d+ - error)", output, flags=re.M)
    errors: dict[int, str] = {}
    for block in blocks:
        found = re.match(r"bad_program\.ts:(\d+):", block)
        if found:
            errors[int(found.group(1))] = errors.get(int(found.group(1)), "") + block
    for line, (_kind, word) in _marks(generated / "bad_program.ts").items():
        assert line in errors, f"tsc accepted bad_program.ts:{line}\n{output}"
        assert word in errors[line], errors[line]


true_ = True
