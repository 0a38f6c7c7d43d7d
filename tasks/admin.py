"""Admin for the tasks app. Writes go through the services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html_join

from labelstudio.core.exceptions import ApplicationError

# --- export schedules (owner: data export, tasks/exporters/schedules.py) -----------------------
from .exporters import schedules
from .models import ExportSchedule


class ExportScheduleForm(forms.ModelForm):
    class Meta:
        model = ExportSchedule
        fields = ["project", *schedules.FIELDS]
        widgets = {"aws_secret_access_key": forms.PasswordInput(render_value=True)}

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        probe = ExportSchedule(**{k: v for k, v in data.items() if k in self.Meta.fields})
        probe.format = (probe.format or "JSON").upper()
        try:
            schedules.schedule_check(probe)
        except ApplicationError as exc:
            field = exc.extra.get("field")
            raise ValidationError({field if field in self.fields else None: exc.message}) from exc
        return data


@admin.register(ExportSchedule)
class ExportScheduleAdmin(admin.ModelAdmin):
    form = ExportScheduleForm
    list_display = [
        "id",
        "project",
        "title",
        "format",
        "cron",
        "interval_hours",
        "target",
        "only_changed",
        "enabled",
        "last_run_at",
    ]
    list_filter = ["enabled", "target", "format"]
    raw_id_fields = ["project"]
    readonly_fields = ["last_run_at", "last_job", "history"]
    actions = ["run_now", "enable", "disable"]

    @admin.display(description="recent runs")
    def history(self, obj):
        if not obj.pk:
            return "-"
        rows = schedules.schedule_jobs(obj)[:10]
        return format_html_join(
            "",
            "<div>job {} · {} · {} tasks · {}</div>",
            ((j.pk, j.status, j.result.get("tasks", "-"), j.error or j.result.get("delivered_to") or "") for j in rows),
        )

    def save_model(self, request, obj, form, change):
        fields = {k: v for k, v in form.cleaned_data.items() if k != "project"}
        if change:
            schedules.schedule_update(schedule=obj, **fields)
        else:
            created = schedules.schedule_create(project=form.cleaned_data["project"], created_by=request.user, **fields)
            obj.pk = created.pk

    def delete_model(self, request, obj):
        schedules.schedule_delete(schedule=obj)

    def delete_queryset(self, request, queryset):
        for schedule in queryset:
            schedules.schedule_delete(schedule=schedule)

    @admin.action(description="Run now")
    def run_now(self, request, queryset):
        for schedule in queryset.select_related("project"):
            job = schedules.schedule_run(schedule=schedule, created_by=request.user)
            if job is None:
                messages.warning(request, f"{schedule}: a run is still unfinished")

    @admin.action(description="Enable")
    def enable(self, request, queryset):
        for schedule in queryset:
            schedules.schedule_update(schedule=schedule, enabled=True)

    @admin.action(description="Disable")
    def disable(self, request, queryset):
        for schedule in queryset:
            schedules.schedule_update(schedule=schedule, enabled=False)


# --- end export schedules ----------------------------------------------------------------------


# --- tasks (owner: annotators/distribution engineer) ------------------------------------------
from labelstudio.core.admin import FastAdminMixin  # noqa: E402

from .models import COUNTER_FIELDS, Task  # noqa: E402


@admin.register(Task)
class TaskAdmin(FastAdminMixin, admin.ModelAdmin):
    """Fast with a million tasks: estimated counts, no joins but the project, id-only search
    unless words are typed (then the task data is searched, which scans the table)."""

    list_display = [
        "id",
        "project",
        "is_labeled",
        "total_annotations",
        "cancelled_annotations",
        "total_predictions",
        "overlap",
        "created_at",
    ]
    list_filter = ["is_labeled", "project"]
    search_fields = ["=id"]
    list_select_related = ["project"]
    raw_id_fields = ["project", "import_job"]
    readonly_fields = [*COUNTER_FIELDS, "created_at", "updated_at"]

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        if term.isdecimal():
            return queryset.filter(pk=int(term)), False
        return queryset.filter(data__icontains=term), False

    def save_model(self, request, obj, form, change):
        """Through the service: data is checked against the config, counters follow the overlap."""
        from . import services

        try:
            if change:
                services.task_update(
                    task=Task.objects.get(pk=obj.pk), data=obj.data, meta=obj.meta, overlap=obj.overlap
                )
            else:
                obj.pk = services.task_create(project=obj.project, data=obj.data, meta=obj.meta).pk
        except ApplicationError as exc:
            messages.error(request, f"not saved: {exc.message}")


# --- end tasks ---------------------------------------------------------------------------------
