"""Task: one data item. Counters are kept by services in bulk (never by signals)."""

from django.conf import settings
from django.db import models

from labelstudio.core.models import TimeStampedModel

# Kept by services from the completion and prediction rows; never written by clients.
COUNTER_FIELDS = ("is_labeled", "total_annotations", "cancelled_annotations", "total_predictions")


class Task(TimeStampedModel):
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="tasks")
    data = models.JSONField(help_text="the data the config's $variables read")
    meta = models.JSONField(default=dict, blank=True)
    overlap = models.PositiveIntegerField(null=True, blank=True, help_text="per-task overlap; null = project's")
    is_labeled = models.BooleanField(default=False, help_text="has as many completions as its overlap asks")
    total_annotations = models.PositiveIntegerField(default=0, help_text="submitted, not cancelled")
    cancelled_annotations = models.PositiveIntegerField(default=0)
    total_predictions = models.PositiveIntegerField(default=0)
    prediction_score = models.FloatField(
        null=True, blank=True, help_text="average score of the task's predictions (Label Studio's predictions_score)"
    )
    # No database constraint or automatic index: bookkeeping for imports, whose COPY would otherwise
    # run one foreign-key check per row (a third of its time); the ORM still nulls it when a job is
    # deleted, and task_import_job_idx below is the index.
    import_job = models.ForeignKey(
        "core.Job",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
        help_text="the import that created this task (makes retried imports idempotent)",
    )
    # Not columns: what the next-task queue (annotators) learnt while picking this task, set on the
    # instance it returns and read by the task payload (absent on other instances: read with getattr).
    rejected: bool
    has_predictions: bool
    has_draft: bool

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["project", "is_labeled", "id"], name="task_project_labeled_idx"),
            models.Index(fields=["project", "total_annotations", "id"], name="task_project_annotations_idx"),
            # the data manager's and the API's sort columns (tasks/datamanager.py SORTS, filters.ORDERINGS):
            # the first page of any sort is an index range scan, in either direction
            models.Index(fields=["project", "total_predictions", "id"], name="task_project_predictions_idx"),
            models.Index(fields=["project", "created_at", "id"], name="task_project_created_idx"),
            models.Index(fields=["project", "updated_at", "id"], name="task_project_updated_idx"),
            # sort by model score, NULLs (no scored prediction) last either way: the scored tasks in
            # either direction, then the unscored ones by id (tasks/score_order.py)
            models.Index(fields=["project", "prediction_score", "id"], name="task_project_score_idx"),
            models.Index(fields=["import_job"], name="task_import_job_idx"),
            # keyset pages of one project's tasks by id (exports, data manager) in an index range
            # scan, not a primary-key scan that filters out the other projects' rows
            models.Index(fields=["project", "id"], name="task_project_id_idx"),
            # next task (annotators/services/distribution.py): the few HITL priority tasks, and
            # breadth-first's "started but not finished" tasks, without scanning the project
            # the sequential queue walks open tasks in id order, however many are done already.
            # On (id) alone, not (project, id): same width as the primary key, so PostgreSQL
            # prefers it to a primary-key walk that filters out every labeled task (its statistics
            # can't tell that labeled tasks cluster at the front); many-project tables use
            # task_project_labeled_idx instead.
            models.Index(fields=["id"], name="task_open_idx", condition=models.Q(is_labeled=False)),
            models.Index(
                fields=["project", "id"],
                name="task_priority_idx",
                condition=models.Q(meta__has_key="priority", is_labeled=False),
            ),
            models.Index(
                fields=["project", "-total_annotations", "id"],
                name="task_started_idx",
                condition=models.Q(is_labeled=False, total_annotations__gt=0),
            ),
        ]

    def __str__(self) -> str:
        return f"task {self.pk}"


class S3ImportStorage(TimeStampedModel):
    """An S3-compatible bucket a project imports from. Field names follow Label Studio's
    ``/api/storages/s3/`` so its clients work; ``s3_endpoint`` is the endpoint URL."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="s3_import_storages")
    title = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    bucket = models.CharField(max_length=255)
    prefix = models.CharField(max_length=1024, blank=True)
    regex_filter = models.CharField(max_length=1024, blank=True, help_text="only keys matching this regex")
    use_blob_urls = models.BooleanField(
        default=False, help_text="one task per media object (True) or read task files (False)"
    )
    presign = models.BooleanField(default=True, help_text="serve media by presigned URL (True) or proxy (False)")
    presign_ttl = models.PositiveIntegerField(default=15, help_text="minutes a presigned URL is valid")
    aws_access_key_id = models.CharField(max_length=255, blank=True)
    aws_secret_access_key = models.CharField(max_length=255, blank=True)
    aws_session_token = models.TextField(blank=True)
    region_name = models.CharField(max_length=64, blank=True)
    s3_endpoint = models.CharField(max_length=500, blank=True, help_text="endpoint URL of an S3-compatible server")
    last_sync = models.DateTimeField(null=True, blank=True)
    last_sync_count = models.PositiveIntegerField(null=True, blank=True)
    last_sync_job = models.ForeignKey("core.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"


class S3ImportStorageLink(models.Model):
    """An object already imported from a storage, so a re-sync adds only new ones. ``task`` is
    set for media objects (one task each), empty for task files."""

    storage = models.ForeignKey(S3ImportStorage, on_delete=models.CASCADE, related_name="links")
    key = models.CharField(max_length=1024)
    task = models.ForeignKey(Task, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    import_job = models.ForeignKey("core.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["storage", "key"], name="s3link_storage_key_unique")]
        indexes = [models.Index(fields=["import_job"], name="s3link_import_job_idx")]

    def __str__(self) -> str:
        return f"{self.storage_id}:{self.key}"


# --- export schedules (tasks/exporters/schedules.py) ------------------------------------------
class ExportSchedule(TimeStampedModel):
    """An export that runs by itself (django-celery-beat) into a local directory or an S3 bucket.
    Each run is an export job (``Job.params["schedule_id"]``) kept in the history."""

    class Target(models.TextChoices):
        LOCAL = "local"
        S3 = "s3"

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="export_schedules")
    title = models.CharField(max_length=200, blank=True)
    format = models.CharField(max_length=32, default="JSON")
    options = models.JSONField(default=dict, blank=True)
    cron = models.CharField(max_length=100, blank=True, help_text='crontab "minute hour day month weekday"')
    interval_hours = models.FloatField(null=True, blank=True, help_text="or: every N hours")
    only_changed = models.BooleanField(default=False, help_text="export only tasks new or changed since the last run")
    target = models.CharField(max_length=8, choices=Target.choices, default=Target.LOCAL)
    local_path = models.CharField(max_length=500, blank=True, help_text="directory under EXPORT_LOCAL_ROOTS")
    s3_bucket = models.CharField(max_length=255, blank=True)
    s3_prefix = models.CharField(max_length=1024, blank=True)
    s3_endpoint = models.CharField(max_length=500, blank=True)
    s3_region = models.CharField(max_length=64, blank=True)
    aws_access_key_id = models.CharField(max_length=255, blank=True)
    aws_secret_access_key = models.CharField(max_length=255, blank=True)
    enabled = models.BooleanField(default=True)
    last_run_at = models.DateTimeField(null=True, blank=True, help_text="snapshot time of the last successful run")
    last_job = models.ForeignKey("core.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    periodic_task = models.OneToOneField(
        "django_celery_beat.PeriodicTask", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"export schedule {self.pk} of project {self.project_id}"


class DataManagerView(TimeStampedModel):
    """A saved data-manager tab (Label Studio's /api/dm/views): ``data`` holds its title, filters
    ({"conjunction", "items"}), ordering, hidden columns... as Label Studio's front end sends them;
    tasks.dm_query reads filters and ordering."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="dm_views")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    order = models.IntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"view {self.pk} of project {self.project_id}"


class ExportStorage(TimeStampedModel):
    """A target a project's completions are written to, one JSON object per completion (Label
    Studio's /api/storages/export/s3 and /export/localfiles). Local paths lie under
    EXPORT_LOCAL_ROOTS; S3 endpoints pass the outgoing-URL check."""

    class Kind(models.TextChoices):
        S3 = "s3"
        LOCALFILES = "localfiles"

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="export_storages")
    storage_type = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    path = models.CharField(max_length=1024, blank=True, help_text="localfiles: directory under EXPORT_LOCAL_ROOTS")
    bucket = models.CharField(max_length=255, blank=True)
    prefix = models.CharField(max_length=1024, blank=True)
    aws_access_key_id = models.CharField(max_length=255, blank=True)
    aws_secret_access_key = models.CharField(max_length=255, blank=True)
    aws_session_token = models.TextField(blank=True)
    region_name = models.CharField(max_length=64, blank=True)
    s3_endpoint = models.CharField(max_length=500, blank=True)
    can_delete_objects = models.BooleanField(default=False)
    last_sync = models.DateTimeField(null=True, blank=True)
    last_sync_count = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.storage_type} export storage {self.pk} of project {self.project_id}"


class LocalFilesImportStorage(TimeStampedModel):
    """A server directory a project imports from (Label Studio's /api/storages/localfiles): task
    files read like uploads, or (``use_blob_urls``) one task per media file, served from
    /data/local-files/?d=<path> to the project's members. Paths lie under
    LOCAL_FILES_DOCUMENT_ROOT; the feature is off unless LOCAL_FILES_SERVING_ENABLED."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="local_import_storages")
    title = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    path = models.CharField(max_length=1024)
    regex_filter = models.CharField(max_length=1024, blank=True)
    use_blob_urls = models.BooleanField(default=False)
    recursive_scan = models.BooleanField(default=False, help_text="also read subdirectories")
    synced_keys = models.JSONField(default=list, blank=True, help_text="files already imported (relative paths)")
    last_sync = models.DateTimeField(null=True, blank=True)
    last_sync_count = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"local files {self.path}"


class TaskSearchMark(models.Model):
    """How far a project's tasks are in the text-search index (tasks/search_index.py): every task of
    the project with ``id <= indexed_through`` has its current data in the index; tasks above it
    (just imported, not yet indexed) are searched by the plain filter. A job moves it up after
    imports, so the import's bulk path writes no index entries. ``version`` changes (PostgreSQL:
    a trigger, once per transaction) when an indexed task's data changes, it moves to another
    project or is deleted: the key of the project's cached search matches (tasks/search_hits.py)."""

    project = models.OneToOneField("projects.Project", on_delete=models.CASCADE, primary_key=True, related_name="+")
    indexed_through = models.BigIntegerField(default=0)
    version = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"project {self.project_id} searchable through task {self.indexed_through}"
