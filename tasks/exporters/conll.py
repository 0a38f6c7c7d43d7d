"""CoNLL-2003 for named-entity recognition (Text + Labels): ``token -X- _ TAG`` per line, a blank
line between documents, IOB2 tags (``B-`` starts a span, ``I-`` continues it, ``O`` outside),
after a ``-DOCSTART- -X- -X- O`` header line and a blank line (the
CoNLL-2003 files' own header; Label Studio's converter writes a three-column one). One document per completion, as Label Studio does.

Tokens are words (runs of letters/digits, keeping inner hyphens and apostrophes) and single
punctuation marks. A token belongs to a span when it overlaps the span's character range, so a
span that cuts a word still tags the whole word; where spans overlap, the earlier one wins.
"""

from __future__ import annotations

import re

from .registry import Format, register

TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")


def tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text)]


def tags(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[str, str]]:
    """(token, IOB2 tag) pairs for spans given as (start, end, label) character offsets."""
    spans = sorted(spans)
    out = []
    owner: list[int | None] = []
    for token, start, end in tokens(text):
        hit = next((i for i, (s, e, _) in enumerate(spans) if s < end and start < e), None)
        if hit is None:
            out.append((token, "O"))
        else:
            prefix = "I-" if owner and owner[-1] == hit else "B-"
            out.append((token, prefix + spans[hit][2]))
        owner.append(hit)
    return out


@register
class CoNLL2003(Format):
    name = "CONLL2003"
    title = "CONLL2003"
    description = "Popular format used for the CoNLL-2003 named entity recognition challenge."
    link = "https://labelstud.io/guide/export.html#CONLL2003"
    tags = ("sequence labeling", "text tagging", "named entity recognition")
    requires = "a Text object labeled by a Labels control"
    extension = ".conll"

    def _target(self, schema, control_name=None):
        for obj in schema.objects_of("Text"):
            for control in schema.controls_on(obj.name, "Labels"):
                if control_name in (None, control.name):
                    return obj, control
        return None, None

    def unsupported(self, schema):
        obj, _ = self._target(schema)
        if obj is None:
            return "no Labels control on a Text object"
        if obj.key is None:
            return f"the Text object {obj.name} reads no $key"
        return None

    def write(self, tasks, sink, ctx):
        obj, control = self._target(ctx.schema, ctx.options.labels_control)
        if control is None:
            obj, control = self._target(ctx.schema)
        with sink.text("result.conll") as out:
            out.write("-DOCSTART- -X- -X- O\n\n")
            for task in tasks:
                text = (task.get("data") or {}).get(obj.key)
                if not isinstance(text, str):
                    ctx.warn(f"data.{obj.key} is not text; task skipped", task["id"])
                    yield
                    continue
                for completion in task.get("annotations") or [None]:
                    spans = []
                    for item in (completion or {}).get("result") or []:
                        if not isinstance(item, dict) or (item.get("from_name"), item.get("to_name")) != (
                            control.name,
                            obj.name,
                        ):
                            continue
                        value = item.get("value") or {}
                        start, end, labels = value.get("start"), value.get("end"), value.get("labels") or []
                        if isinstance(start, int) and isinstance(end, int) and labels:
                            spans.append((start, end, str(labels[0])))
                    for token, tag in tags(text, spans):
                        out.write(f"{token} -X- _ {tag}\n")
                    out.write("\n")
                yield
