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


APPS = ("labelstudio.core", "labelstudio.webhooks", "labelstudio", "projects", "tasks", "annotators", "ml_backends")


def _app(module: str) -> str | None:
    return next((a for a in APPS if module == a or module.startswith(a + ".")), None)


def _function_imports(path: Path):
    """(line, imported module) of each absolute ``from x import y`` inside a function body."""
    import ast

    tree = ast.parse(path.read_text())
    for func in ast.walk(tree):
        if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(func):
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    yield node.lineno, node.module


def test_every_cross_app_import_inside_a_function_says_why():
    """An import of another app inside a function body hides a dependency from a reader of the
    module's head: each one carries a comment (on its line or above its block of imports)."""
    silent = []
    for path in sorted(ROOT.glob("*/**/*.py")):
        rel = path.relative_to(ROOT)
        if rel.parts[0] not in {"labelstudio", "projects", "tasks", "annotators", "ml_backends"}:
            continue
        if "migrations" in rel.parts:
            continue
        own = _app(".".join(rel.with_suffix("").parts))
        lines = path.read_text().splitlines()
        for lineno, module in _function_imports(path):
            if _app(module) in (None, own):
                continue
            i = lineno - 1
            commented = "#" in lines[i]
            while i > 0 and lines[i - 1].lstrip().startswith(("from ", "import ")):
                i -= 1
                commented = commented or "#" in lines[i]
            commented = commented or lines[i - 1].lstrip().startswith("#")
            if not commented:
                silent.append(f"{rel}:{lineno}: from {module} import ...")
    assert not silent, "cross-app imports inside functions without a comment saying why:\n" + "\n".join(silent)
