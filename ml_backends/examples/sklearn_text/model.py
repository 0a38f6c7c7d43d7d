"""The model: which control to answer (read from the labeling config), the examples seen so far,
and a scikit-learn pipeline fitted on them. One ``ProjectModel`` per project."""

from __future__ import annotations

import threading

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

try:  # the config comes from the platform; parse it safely when defusedxml is there
    from defusedxml.ElementTree import fromstring
except ImportError:  # pragma: no cover
    from xml.etree.ElementTree import fromstring

INITIAL_VERSION = "initial"


class ConfigError(ValueError):
    pass


def read_config(label_config: str) -> dict:
    """The first <Choices> control, the <Text> it labels and that text's data key."""
    root = fromstring(label_config)
    objects = {el.get("name"): el for el in root.iter() if el.get("value", "").startswith("$")}
    for el in root.iter("Choices"):
        target = objects.get(el.get("toName", "").split(",")[0])
        if target is None:
            continue
        labels = [c.get("value") or c.get("alias") for c in el.iter("Choice")]
        return {
            "from_name": el.get("name"),
            "to_name": target.get("name"),
            "data_key": target.get("value")[1:],
            "labels": [label for label in labels if label],
        }
    raise ConfigError("the labeling config has no <Choices> control on a text object")


class ProjectModel:
    """Examples keyed by completion id, the fitted pipeline, and a version bumped per fit."""

    def __init__(self, label_config: str):
        self.config = read_config(label_config)
        self.label_config = label_config
        self.examples: dict[str, tuple[str, str]] = {}
        self.pipeline = None
        self.version = INITIAL_VERSION
        self.versions = [INITIAL_VERSION]
        self.lock = threading.Lock()

    # --- learning ---------------------------------------------------------------------------
    def add(self, annotation: dict, task: dict) -> bool:
        """Remember one completion's label for its task's text; False when it has none."""
        text = (task.get("data") or {}).get(self.config["data_key"])
        label = next(
            (
                r["value"]["choices"][0]
                for r in annotation.get("result") or []
                if r.get("from_name") == self.config["from_name"] and (r.get("value") or {}).get("choices")
            ),
            None,
        )
        if not isinstance(text, str) or label is None or annotation.get("was_cancelled"):
            return False
        with self.lock:
            self.examples[str(annotation.get("id") or task.get("id"))] = (text, label)
        return True

    def forget(self, annotation: dict) -> None:
        with self.lock:
            self.examples.pop(str(annotation.get("id")), None)

    def fit(self) -> dict:
        """Fit on every example; needs two labels. Returns what happened."""
        with self.lock:
            texts = [t for t, _ in self.examples.values()]
            labels = [label for _, label in self.examples.values()]
        if len(set(labels)) < 2:
            return {"trained": False, "reason": "need examples of at least two labels", "examples": len(labels)}
        pipeline = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=1), LogisticRegression(max_iter=1000))
        pipeline.fit(texts, labels)
        with self.lock:
            self.pipeline = pipeline
            self.version = f"v{len(self.versions)}"
            self.versions.append(self.version)
        return {"trained": True, "model_version": self.version, "examples": len(labels)}

    # --- predicting -------------------------------------------------------------------------
    def predict(self, tasks: list[dict], context: dict | None = None) -> list[dict]:
        c = self.config
        texts = [str((t.get("data") or {}).get(c["data_key"], "")) for t in tasks]
        pipeline = self.pipeline
        if pipeline is None:
            answers = [(c["labels"][0], 1.0 / max(len(c["labels"]), 1))] * len(tasks)
        else:
            probabilities = pipeline.predict_proba(texts)
            classes = list(pipeline.classes_)
            answers = [(classes[row.argmax()], float(row.max())) for row in probabilities]
        out = []
        for label, score in answers:
            result = [
                {
                    "from_name": c["from_name"],
                    "to_name": c["to_name"],
                    "type": "choices",
                    "value": {"choices": [label]},
                    "score": score,
                }
            ]
            out.append({"result": result, "score": score, "model_version": self.version})
        if context and context.get("result"):
            out = [self._interactive(o, context["result"]) for o in out]
        return out

    def _interactive(self, prediction: dict, seeds: list) -> dict:
        """Give the annotator's seed regions back; a seed choice on our control wins."""
        ours = [s for s in seeds if isinstance(s, dict) and s.get("from_name") == self.config["from_name"]]
        others = [s for s in seeds if isinstance(s, dict) and s.get("from_name") != self.config["from_name"]]
        result = (ours or prediction["result"]) + others
        return {**prediction, "result": result, "score": 1.0 if ours else prediction["score"]}
