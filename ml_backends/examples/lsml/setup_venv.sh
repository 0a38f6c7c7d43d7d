#!/usr/bin/env bash
# Create /work/main/.venv-mlbackend (or $1): a separate venv with label-studio-ml 1.0.9 and what its
# standard server needs (Flask 1.1 era pins, redis, rq). Separate so its old pins never touch our
# Django venv. Idempotent: a venv that already imports label_studio_ml is left as it is.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
VENV="${1:-$ROOT/.venv-mlbackend}"
PY="${PYTHON:-python3}"

if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "import label_studio_ml.api, rq, redis" 2>/dev/null; then
  echo "ml backend venv ready: $VENV"
  exit 0
fi
"$PY" -m venv "$VENV"
"$VENV/bin/pip" install -q -r "$HERE/requirements.txt"
"$VENV/bin/python" -c "import label_studio_ml.api, rq, redis" 
echo "ml backend venv ready: $VENV"
