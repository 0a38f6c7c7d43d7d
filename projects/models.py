"""Project and Membership. Field names follow Label Studio's API where it has them, so its
clients and files work unchanged (``maximum_annotations`` is our overlap)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from labelstudio.core.models import TimeStampedModel


class Project(TimeStampedModel):
    class Sampling(models.TextChoices):
        SEQUENTIAL = "Sequential sampling"
        RANDOM = "Uniform sampling"
        UNCERTAINTY = "Uncertainty sampling"
        BREADTH_FIRST = "Breadth-first sampling"

    class SkipQueue(models.TextChoices):
        REQUEUE_FOR_OTHERS = "REQUEUE_FOR_OTHERS"
        REQUEUE_FOR_ME = "REQUEUE_FOR_ME"
        IGNORE_SKIPPED = "IGNORE_SKIPPED"

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    label_config = models.TextField(help_text="the labeling config, XML")
    label_config_version = models.PositiveIntegerField(
        default=1, help_text="bumped by every config change; a save that sends an older one gets 409"
    )
    parsed_label_config = models.JSONField(default=dict, blank=True, help_text="cached parsed form")
    expert_instruction = models.TextField(blank=True, help_text="instructions shown to annotators")
    show_instruction = models.BooleanField(default=False)
    show_skip_button = models.BooleanField(default=True)
    maximum_annotations = models.PositiveIntegerField(default=1, help_text="overlap: completions per task")
    sampling = models.CharField(max_length=32, choices=Sampling.choices, default=Sampling.SEQUENTIAL)
    skip_queue = models.CharField(max_length=32, choices=SkipQueue.choices, default=SkipQueue.REQUEUE_FOR_OTHERS)
    annotators_see_all = models.BooleanField(
        default=False, help_text="annotators may read other annotators' completions"
    )
    task_lock_ttl = models.PositiveIntegerField(default=settings.TASK_LOCK_TTL_SECONDS, help_text="seconds")
    model_version = models.CharField(
        max_length=200, blank=True, help_text="which predictions annotators see; empty = latest"
    )
    max_regions_per_result = models.PositiveIntegerField(
        default=2000,
        validators=[MinValueValidator(1), MaxValueValidator(100_000)],
        help_text="most result items one completion, draft or prediction may hold",
    )
    color = models.CharField(max_length=16, blank=True, default="#FFFFFF")
    enable_empty_annotation = models.BooleanField(
        default=True, help_text="accept a submitted completion with an empty result (Label Studio's field)"
    )
    is_published = models.BooleanField(default=False, help_text="Label Studio's published flag (shown to clients)")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="created_projects"
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="projects")
    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="projects")

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title


class Membership(models.Model):
    class Role(models.TextChoices):
        MANAGER = "manager"
        REVIEWER = "reviewer"
        ANNOTATOR = "annotator"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.ANNOTATOR)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} {self.role} of {self.project_id}"


class Label(TimeStampedModel):
    """An item an annotator added to a control (Taxonomy with ``isEditable``), saved for the
    organization and linked to the projects that use it (Label Studio's labels_manager.Label):
    later tasks show it as if the config listed it. ``value`` is the item's path."""

    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="labels")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="labels"
    )
    title = models.CharField(max_length=2048)
    value = models.JSONField()
    description = models.TextField(blank=True, null=True)
    approved = models.BooleanField(default=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="labels_approved"
    )
    projects = models.ManyToManyField(Project, through="LabelLink", related_name="labels")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["title", "organization"], name="label_unique_title")]

    def __str__(self) -> str:
        return self.title


class LabelLink(models.Model):
    """A saved label offered in one project, under the control named ``from_name``."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="label_links")
    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="links")
    from_name = models.CharField(max_length=2048)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["project", "label"], name="label_link_unique")]

    def __str__(self) -> str:
        return f"{self.label_id} in {self.project_id} ({self.from_name})"
