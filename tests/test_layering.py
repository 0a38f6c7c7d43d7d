"""The layering contracts of pyproject.toml ([tool.importlinter]) hold: labelstudio.core at the
bottom, projects ← tasks ← annotators | ml_backends, and only the listed exceptions."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_are_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
