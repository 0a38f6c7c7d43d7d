"""A tiny ``LabelStudioMLBase`` model, run by label-studio-ml 1.0.9's own server in its own venv.

It shows that backends written for Label Studio work unchanged against our platform. Before any
training it predicts the config's first choice with a low score; each training event (our
``/webhook`` ANNOTATION_* or START_TRAINING calls) stores the most recent label a human chose, and
later predictions return that label with a high score. Runs in ``.venv-mlbackend``, not ours.
"""

from label_studio_ml.model import LabelStudioMLBase


class LastLabelModel(LabelStudioMLBase):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.from_name, info = next(
            (name, info) for name, info in self.parsed_label_config.items() if info["type"] == "Choices"
        )
        self.to_name = info["to_name"][0]
        self.labels = info["labels"]

    def predict(self, tasks, **kwargs):
        label = self.train_output.get("label") or self.labels[0]
        score = 0.9 if self.train_output.get("label") else 0.1
        context = kwargs.get("context") or {}
        if context.get("result"):  # interactive: echo the annotator's seed choice back
            seeds = [r for r in context["result"] if r.get("type") == "choices"]
            if seeds:
                label, score = seeds[0]["value"]["choices"][0], 1.0
        return [
            {
                "result": [
                    {
                        "from_name": self.from_name,
                        "to_name": self.to_name,
                        "type": "choices",
                        "value": {"choices": [label]},
                    }
                ],
                "score": score,
            }
            for _ in tasks
        ]

    def fit(self, tasks, workdir=None, **kwargs):
        data = kwargs.get("data") or {}
        annotation = data.get("annotation") or {}
        for item in annotation.get("result") or []:
            if item.get("type") == "choices" and item["value"].get("choices"):
                return {"label": item["value"]["choices"][0], "event": kwargs.get("event")}
        return dict(self.train_output) or {"label": None, "event": kwargs.get("event")}
