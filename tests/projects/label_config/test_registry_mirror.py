"""The Python config language and the JS labeling interface know the same tags, one to one:
every tag of ``projects.label_config.tags.REGISTRY`` has a renderer in static/labeling/registry.js
and the same kind in static/labeling/config.js (OBJECT/CONTROL/ITEM/VISUAL_TAGS), aliases
resolve to the same tag on both sides, and neither side has a tag the other lacks."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from projects.label_config.tags import REGISTRY, ControlTag, ObjectTag

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = """
const base = process.argv[1];
const reg = await import(base + '/static/labeling/registry.js');
const cfg = await import(base + '/static/labeling/config.js');
const names = JSON.parse(process.argv[2]);
console.log(JSON.stringify({
  registry: reg.knownTags(),
  object: [...cfg.OBJECT_TAGS], control: [...cfg.CONTROL_TAGS], item: [...cfg.ITEM_TAGS], visual: [...cfg.VISUAL_TAGS],
  canonical: Object.fromEntries(names.map((n) => [n, cfg.canonicalTag(n)])),
}));
"""


@pytest.fixture(scope="module")
def js() -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    written = sorted({w for cls in REGISTRY.values() for w in (cls.tag_name, *cls.aliases)})
    names = sorted({*written, *(w.lower() for w in written)})
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [node, "--input-type=module", "-e", SCRIPT, str(ROOT), json.dumps(names)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def python_kinds() -> dict[str, set[str]]:
    kinds: dict[str, set[str]] = {}
    for cls in set(REGISTRY.values()):
        found = set()
        if issubclass(cls, ObjectTag):
            found.add("object")
        if issubclass(cls, ControlTag) and cls.tag_name != "Relations":
            found.add("control")  # Relations is its own kind in the JS reader (config.relations)
        if cls.kind in ("item", "visual"):
            found.add(cls.kind)
        kinds[cls.tag_name] = found
    return kinds


def test_every_tag_has_a_renderer_and_no_renderer_lacks_a_tag(js):
    python = {cls.tag_name for cls in REGISTRY.values()}
    rendered = {js["canonical"].get(name, name) for name in js["registry"]}
    assert sorted(python - rendered) == [], "tags the Python reader accepts but registry.js cannot render"
    assert sorted(rendered - python) == [], "tags registry.js renders but the Python reader refuses"


def test_aliases_and_case_resolve_to_the_same_tag(js):
    for written, cls in REGISTRY.items():
        assert js["canonical"][written] == cls.tag_name, f"{written!r}: JS reads {js['canonical'][written]!r}"
        for alias in (cls.tag_name, *cls.aliases):
            assert js["canonical"][alias] == cls.tag_name


def test_each_tag_has_the_same_kind(js):
    js_kinds: dict[str, set[str]] = {}
    for kind in ("object", "control", "item", "visual"):
        for name in js[kind]:
            js_kinds.setdefault(name, set()).add(kind)
    if "Chat" in js_kinds:
        js_kinds["Chat"].add("control")  # config.js makes each Chat the control of its own messages
    mismatched = {
        name: (sorted(kinds), sorted(js_kinds.get(name, set())))
        for name, kinds in python_kinds().items()
        if kinds != js_kinds.get(name, set())
    }
    assert mismatched == {}, "tag -> (Python kinds, JS kinds)"
    assert sorted(set(js_kinds) - set(python_kinds())) == [], "JS tag sets name tags the Python reader lacks"
