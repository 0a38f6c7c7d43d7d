"""Admin for projects and memberships. Config changes go through projects.services, so the admin
refuses a config that would orphan completions just as the API does."""

from django import forms
from django.contrib import admin, messages

from labelstudio.core.admin import FastAdminMixin
from labelstudio.core.exceptions import ApplicationError

from . import services
from .models import Membership, Project


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "title",
            "description",
            "label_config",
            "created_by",
            *[f for f in services.EDITABLE_FIELDS if f not in ("title", "description")],
        ]

    def clean_label_config(self):
        """The same check as the API: a broken config, or one orphaning completions, is refused."""
        text = self.cleaned_data["label_config"]
        try:
            if self.instance.pk:
                services.config_check_change(self.instance, text)
            else:
                services.config_parse_or_raise(text)
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message) from exc
        return text


@admin.register(Project)
class ProjectAdmin(FastAdminMixin, admin.ModelAdmin):
    form = ProjectForm
    list_display = ["id", "title", "created_by", "maximum_annotations", "sampling", "skip_queue", "created_at"]
    list_filter = ["sampling", "skip_queue", "annotators_see_all"]
    search_fields = ["=id", "title", "description"]
    list_select_related = ["created_by"]
    raw_id_fields = ["created_by"]
    readonly_fields = ["parsed_label_config", "created_at", "updated_at"]
    inlines = [MembershipInline]

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name in services.EDITABLE_FIELDS}
        try:
            if not change:
                created = services.project_create(
                    created_by=form.cleaned_data.get("created_by") or request.user,
                    title=obj.title,
                    label_config=obj.label_config,
                    **{k: v for k, v in fields.items() if k != "title"},
                )
                obj.pk = created.pk
                return
            if "label_config" in form.changed_data:
                fields["label_config"] = form.cleaned_data["label_config"]
            services.project_update(project=Project.objects.get(pk=obj.pk), **fields)
        except ApplicationError as exc:
            messages.error(request, f"not saved: {exc.message}")


@admin.register(Membership)
class MembershipAdmin(FastAdminMixin, admin.ModelAdmin):
    list_display = ["id", "project", "user", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__email", "project__title"]
    list_select_related = ["project", "user"]
    raw_id_fields = ["project", "user"]
