"""ML backend registry, predictions and per-project ML settings (webhooks: labelstudio/webhooks/)."""

from django.db import models

from labelstudio.core.models import TimeStampedModel


class MLBackend(TimeStampedModel):
    class State(models.TextChoices):
        CONNECTED = "CO"
        DISCONNECTED = "DI"
        ERROR = "ER"
        TRAINING = "TR"
        PREDICTING = "PR"

    class AuthMethod(models.TextChoices):
        NONE = "NONE"
        BASIC = "BASIC_AUTH"

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="ml_backends")
    url = models.URLField(max_length=500)
    title = models.CharField(max_length=200, blank=True, default="default")
    description = models.TextField(blank=True)
    auth_method = models.CharField(max_length=16, choices=AuthMethod.choices, default=AuthMethod.NONE)
    basic_auth_user = models.CharField(max_length=200, blank=True)
    basic_auth_pass = models.CharField(max_length=200, blank=True)
    extra_headers = models.JSONField(default=dict, blank=True)
    extra_params = models.JSONField(default=dict, blank=True)
    is_interactive = models.BooleanField(default=False)
    timeout = models.FloatField(default=100.0, help_text="seconds per predict call")
    state = models.CharField(max_length=2, choices=State.choices, default=State.DISCONNECTED)
    error_message = models.TextField(blank=True)
    model_version = models.CharField(max_length=200, blank=True)
    send_completion_events = models.BooleanField(
        default=True, help_text="POST each completion event to the backend's /webhook (it may train on each)"
    )
    train_every_n = models.PositiveIntegerField(
        default=0, help_text="start a training job every N new completions; 0 = off"
    )
    completions_since_train = models.PositiveIntegerField(default=0)
    last_checked_at = models.DateTimeField(null=True, blank=True, help_text="last health check")

    def __str__(self) -> str:
        return f"{self.title} ({self.url})"


class Prediction(TimeStampedModel):
    task = models.ForeignKey("tasks.Task", on_delete=models.CASCADE, related_name="predictions")
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="predictions")
    ml_backend = models.ForeignKey(
        MLBackend, on_delete=models.SET_NULL, null=True, blank=True, related_name="predictions"
    )
    model_version = models.CharField(max_length=200, blank=True, default="")
    score = models.FloatField(null=True, blank=True)
    result = models.JSONField(default=list, blank=True)
    import_job = models.ForeignKey("core.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["project", "model_version", "task"], name="prediction_project_version_idx"),
            models.Index(fields=["task", "model_version"], name="prediction_task_version_idx"),
        ]

    def __str__(self) -> str:
        return f"prediction {self.pk} of task {self.task_id}"


class MLSettings(models.Model):
    """Project-level ML settings, kept in this app so projects/models.py stays ML-free."""

    project = models.OneToOneField("projects.Project", on_delete=models.CASCADE, related_name="ml_settings")
    auto_prelabel = models.BooleanField(default=False, help_text="pre-label newly imported tasks")
    prelabel_batch_size = models.PositiveIntegerField(default=100)
    prelabel_concurrency = models.PositiveIntegerField(default=2, help_text="batches in flight at once")
    hitl_score_threshold = models.FloatField(
        null=True,
        blank=True,
        help_text="a task posted with a prediction scored below this goes to the front of the queue",
    )

    def __str__(self) -> str:
        return f"ML settings of project {self.project_id}"
