"""ASR manifest (Audio + TextArea), the JSON-lines form NVIDIA NeMo reads:
``{"audio_filepath": ..., "duration": seconds, "text": transcript, "annotator": ...}`` per line,
one line per completion that has a transcript.

``duration`` is read from the WAV header (as Label Studio does); audio that cannot be read, or is
not WAV, is left out with a warning, since NeMo needs the duration. With ``include_images`` the
audio files go into ``audio/`` and ``audio_filepath`` points there; without, it is the task's URL.
"""

from __future__ import annotations

import json
import wave
from pathlib import Path

from .flat import annotator, answered
from .media import MediaError
from .registry import Format, register


def wav_duration(path) -> float | None:
    try:
        with wave.open(str(path), "rb") as f:
            return f.getnframes() / float(f.getframerate())
    except (wave.Error, EOFError, OSError, ZeroDivisionError):
        return None


@register
class ASRManifest(Format):
    name = "ASR_MANIFEST"
    title = "ASR Manifest"
    description = (
        "Export audio transcription labels for automatic speech recognition as the JSON manifest "
        "format expected by NVIDIA NeMo models."
    )
    link = "https://labelstud.io/guide/export.html#ASR-MANIFEST"
    tags = ("speech recognition",)
    requires = "an Audio object with a TextArea"
    extension = ".json"
    media_kind = "audio"

    def _target(self, schema):
        for obj in schema.objects_of("Audio", "AudioPlus"):
            controls = schema.controls_on(obj.name, "TextArea")
            if controls and obj.key:
                return obj, [c.name for c in controls]
        return None, []

    def unsupported(self, schema):
        obj, _ = self._target(schema)
        return None if obj else "no TextArea on an Audio object"

    def write(self, tasks, sink, ctx):
        obj, controls = self._target(ctx.schema)
        part = ctx.tmpdir / "manifest.part"
        with open(part, "w", encoding="utf-8") as out:
            for task in tasks:
                lines = [line for c in filter(None, answered(task)) if (line := self._line(c, controls)) is not None]
                if lines:
                    url = (task.get("data") or {}).get(obj.key)
                    audio = self._audio(task, url, sink, ctx)
                    if audio:
                        for text, annotator in lines:
                            record = {**audio, "text": text, "annotator": annotator}
                            out.write(json.dumps(record, ensure_ascii=False) + "\n")
                yield
        with sink.text("manifest.json") as manifest, open(part, encoding="utf-8") as src:
            while chunk := src.read(1 << 20):
                manifest.write(chunk)
        yield

    @staticmethod
    def _line(completion: dict, controls: list[str]):
        for item in completion.get("result") or []:
            if isinstance(item, dict) and item.get("from_name") in controls:
                text = (item.get("value") or {}).get("text")
                text = " ".join(str(t) for t in text) if isinstance(text, list) else text
                if isinstance(text, str) and text:
                    return text, annotator(completion, as_text=True) or ""
        return None

    def _audio(self, task, url, sink, ctx) -> dict | None:
        try:
            path, temporary = ctx.media.fetch(url)
        except MediaError as exc:
            ctx.warn(f"left out: {exc}", task["id"])
            return None
        try:
            duration = wav_duration(path)
            if duration is None:
                ctx.warn(f"left out: cannot read the duration of {url} (WAV only)", task["id"])
                return None
            filepath = url
            if ctx.options.include_images and sink.archive:
                name = ctx.media.archive_name(url, task["id"])
                sink.add_file(f"audio/{name}", path)
                ctx.count("audio_files")
                filepath = f"audio/{name}"
            return {"audio_filepath": filepath, "duration": round(duration, 6)}
        finally:
            if temporary:
                Path(path).unlink(missing_ok=True)
