#!/usr/bin/env bash
# Build the development environment from the project's own files: .venv from requirements.lock (every
# Python package pinned and hashed, compiled from pyproject.toml's extras `all` and `dev`) and node_modules
# from package-lock.json. Quick when nothing changed (stamp files record what was installed).
# After changing dependencies in pyproject.toml, refresh the lock with the command in its header.
set -euo pipefail
cd "$(dirname "$0")/.."

pick_python() {
  for candidate in "${PYTHON:-}" python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; raise SystemExit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"
      return
    fi
  done
  echo "setup: Python >= 3.11 not found (set PYTHON=/path/to/python3.11)" >&2
  exit 2
}

mkdir -p .stamps
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$(pick_python)" -m venv .venv
fi
if [ ! -f .stamps/python ] || [ pyproject.toml -nt .stamps/python ] ||
  [ requirements.lock -nt .stamps/python ]; then
  echo "setup: installing Python packages (requirements.lock, then this project editable)"
  pip=(.venv/bin/python -m pip install --quiet --disable-pip-version-check)
  "${pip[@]}" --require-hashes -r requirements.lock
  # The lock already holds every dependency: --no-deps keeps pip from resolving anything else.
  "${pip[@]}" --no-deps -e .
  touch .stamps/python
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "setup: npm not found; install Node.js 20+" >&2
  exit 2
fi
if [ ! -f .stamps/node ] || [ package-lock.json -nt .stamps/node ] || [ ! -d node_modules ]; then
  echo "setup: installing node packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  touch .stamps/node
fi
