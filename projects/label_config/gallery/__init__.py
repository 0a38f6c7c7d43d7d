"""Template gallery: ``<slug>.xml`` (the config) + ``<slug>.json`` beside it.

The JSON holds ``title``, ``group``, ``description``, ``order`` (sort key), ``sample_task`` (task
data for the preview) and ``example_result`` (a valid result list, checked by the tests).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def _load() -> tuple[dict[str, Any], ...]:
    templates = []
    for meta_path in HERE.glob("*.json"):
        slug = meta_path.stem
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        templates.append(
            {
                "slug": slug,
                "title": meta["title"],
                "group": meta["group"],
                "description": meta["description"],
                "config": (HERE / f"{slug}.xml").read_text(encoding="utf-8"),
                "sample_task": meta["sample_task"],
                "example_result": meta.get("example_result", []),
                "order": meta.get("order", 0),
            }
        )
    templates.sort(key=lambda t: (t["order"], t["slug"]))
    return tuple(templates)


def list_templates() -> list[dict[str, Any]]:
    """All templates (fresh copies): slug, title, group, description, config, sample_task, example_result."""
    return [json.loads(json.dumps(t)) for t in _load()]


def get_template(slug: str) -> dict[str, Any]:
    """One template by slug; ``KeyError`` when there is none."""
    for template in _load():
        if template["slug"] == slug:
            found: dict[str, Any] = json.loads(json.dumps(template))
            return found
    raise KeyError(f"no template {slug!r}")
