"""CoNLL-2003 for named-entity recognition (Text + Labels), as Label Studio's converter writes it:
a ``-DOCSTART- -X- O`` line, then one document per record of ``flat.answered`` (each exported,
not-skipped completion, newest first; a task exported without completions gives an all-``O``
document): ``token -X- _ TAG`` per line and a blank line after it.

Tokens are Penn Treebank tokens (``treebank.py``; ``isn't`` → ``is n't``), as the converter's
NLTK tokenizer splits them. Tags are
IOB2 by Label Studio's rule: spans sorted by start; a token is tagged with the current span when
they share a character, the first such token ``B-``, the next ``I-``; a span is left once a token
starts after its last character; spans of the first Labels control in the completion's result
(or ``labels_control``) are used.
"""

from __future__ import annotations

from . import treebank
from .flat import answered
from .registry import Format, register


def tokens(text: str) -> list[tuple[str, int]]:
    return [(text[start:end], start) for start, end in treebank.spans(text)]


def tags(text: str, spans: list[dict]) -> list[tuple[str, str]]:
    """(token, IOB2 tag) pairs for span values ``{start, end, labels}`` (character offsets)."""
    words = tokens(text)
    if not spans or any(s.get("start") is None or s.get("end") is None for s in spans):
        return [(word, "O") for word, _ in words]
    spans = sorted(spans, key=lambda s: s["start"])
    current, prefix, out = 0, "B-", []
    for word, first in words:
        last = first + len(word) - 1
        while spans[current]["end"] - 1 < first and current + 1 < len(spans):
            current, prefix = current + 1, "B-"
        span = spans[current]
        labels = span.get("labels")
        if labels and span["start"] <= last and span["end"] - 1 >= first:
            out.append((word, prefix + str(labels[0])))
            prefix = "I-"
        else:
            out.append((word, "O"))
    return out


def _spans(completion: dict | None, labels_controls: set[str], chosen: str | None) -> list[dict]:
    """The span values of one Labels control: ``chosen``, else the first in the result."""
    name, spans = chosen, []
    for item in (completion or {}).get("result") or []:
        if not isinstance(item, dict) or item.get("from_name") not in labels_controls:
            continue
        name = name or item["from_name"]
        if item["from_name"] == name and isinstance(item.get("value"), dict):
            spans.append(item["value"])
    return spans


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
        chosen = control.name if control is not None and ctx.options.labels_control else None
        if control is None:
            obj, control = self._target(ctx.schema)
        labels_controls = {c.name for c in ctx.schema.controls if c.tag == "Labels"}
        with sink.text("result.conll") as out:
            out.write("-DOCSTART- -X- O\n")
            for task in tasks:
                text = (task.get("data") or {}).get(obj.key)
                if not isinstance(text, str):
                    ctx.warn(f"data.{obj.key} is not text; task skipped", task["id"])
                    yield
                    continue
                for completion in answered(task):
                    for token, tag in tags(text, _spans(completion, labels_controls, chosen)):
                        out.write(f"{token} -X- _ {tag}\n")
                    out.write("\n")
                yield
