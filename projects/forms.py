"""The settings page's forms. Their fields are the model's (types, choices, lengths, validators),
limited to ``services.EDITABLE_FIELDS`` — the list the API serializer uses too; this module only
says which section of the page shows which of them."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ImproperlyConfigured

from labelstudio.core.exceptions import ApplicationError

from .models import Project
from .services import EDITABLE_FIELDS

SECTIONS = {
    "general": ("title", "description", "color"),
    "instructions": ("expert_instruction", "show_instruction"),
    "queue": (
        "maximum_annotations",
        "sampling",
        "skip_queue",
        "show_skip_button",
        "annotators_see_all",
        "task_lock_ttl",
        "model_version",
    ),
}
if not set().union(*SECTIONS.values()) <= set(EDITABLE_FIELDS):
    raise ImproperlyConfigured("a settings section lists a field that is not in services.EDITABLE_FIELDS")


def settings_form(section: str, data) -> forms.Form:
    """An unbound-to-the-instance form of one section (services.project_update validates the
    project as a whole and saves it)."""
    form = forms.Form(data)
    form.fields = forms.fields_for_model(Project, fields=SECTIONS[section])
    for name, field in form.fields.items():
        if isinstance(field, forms.IntegerField):  # the page's wording for a number input
            message = f"{name.replace('_', ' ')} must be a whole number"
            field.error_messages.update(invalid=message, required=message)
    return form


def settings_values(data, section: str) -> dict:
    """The section's values from a POST, checked; the first error as a 400 naming its field."""
    form = settings_form(section, data)
    if not form.is_valid():
        name, errors = next(iter(form.errors.items()))
        label, message = name.replace("_", " "), errors[0]
        raise ApplicationError(message if message.startswith(label) else f"{label}: {message}", field=name)
    return form.cleaned_data
