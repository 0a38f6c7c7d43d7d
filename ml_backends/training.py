"""Training runs, worker side.

A training run is a job (kind ``train``): it sends ``START_TRAINING`` to the backend's /webhook,
falling back to the older ``POST /train`` with the project's completions when the backend has no
/webhook (404/405/501). Training every N completions is started by completion_events.py.
"""

from __future__ import annotations

from django.db import transaction

from labelstudio.core.jobs import JobError
from labelstudio.core.models import Job
from labelstudio.webhooks.payloads import project_payload

from .backends import backend_set_state, client_for, project_ref
from .models import MLBackend

START_TRAINING = "START_TRAINING"  # the ML backend protocol's training event
NO_WEBHOOK = {404, 405, 501}
TRAIN_MAX_ANNOTATIONS = 10_000


def train_run(job, progress) -> dict:
    backend = MLBackend.objects.select_related("project").get(pk=job.params["ml_backend"])
    project = backend.project
    progress.report(0, 1, force=True)
    if not _claim_send(job, progress):
        return {"endpoint": "none", "response": {}, "reason": job.params.get("reason", "manual"), "resent": False}
    client = client_for(backend, retries=2)
    body = {"action": START_TRAINING, "project": project_payload(project), "model_version": backend.model_version}
    try:
        result = client.webhook(body, retries=2)
        used = "webhook"
        if not result.ok and result.status_code in NO_WEBHOOK:
            used = "train"
            result = client.train(
                annotations=training_annotations(project),
                project=project_ref(project),
                label_config=project.label_config,
                params={"model_version": backend.model_version},
            )
    finally:
        client.close()
    if not result.ok:
        backend_set_state(backend, MLBackend.State.ERROR, f"training failed: {result.error}")
        raise JobError(f"the ML backend did not start training: {result.error}")
    backend_set_state(backend, MLBackend.State.CONNECTED)
    MLBackend.objects.filter(pk=backend.pk).update(completions_since_train=0)
    progress.report(1, 1, force=True)
    data = result.data if isinstance(result.data, dict) else {"response": result.data}
    return {"endpoint": used, "response": data, "reason": job.params.get("reason", "manual")}


def _claim_send(job, progress) -> bool:
    """Exactly-once trigger: under the job row's lock, the owning attempt marks that it sends
    START_TRAINING. An older concurrent attempt raises JobSuperseded; an attempt after one that
    already sent (and died before recording the answer) does not send again."""
    with transaction.atomic():
        progress.commit_point(final=True)
        row = Job.objects.filter(pk=job.pk).values_list("result", flat=True).first() or {}
        if row.get("training_sent_by"):
            return False
        Job.objects.filter(pk=job.pk).update(result={**row, "training_sent_by": progress.attempt or 1})
    return True


def training_annotations(project) -> list[dict]:
    """Label Studio's /train payload: the newest submitted completions with their task."""
    # cross-app import (a listed exception in pyproject.toml): training sends the project's completions
    from annotators.models import Completion

    rows = (
        Completion.objects.filter(project=project, was_cancelled=False)
        .select_related("task")
        .order_by("-id")[:TRAIN_MAX_ANNOTATIONS]
    )
    return [
        {
            "id": c.pk,
            "result": c.result,
            "completed_by": c.completed_by_id,
            "ground_truth": c.ground_truth,
            "task": {"id": c.task_id, "data": c.task.data, "meta": c.task.meta},
        }
        for c in rows.iterator(chunk_size=1000)
    ]
