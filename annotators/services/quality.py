"""Per-project quality settings (the honeypot share)."""

from __future__ import annotations

from django.contrib.auth.models import User

from labelstudio.core.exceptions import ApplicationError
from projects.access import MANAGERS, role_check
from projects.models import Project

from ..models import QualitySettings


def quality_settings_get(project: Project) -> QualitySettings:
    return QualitySettings.objects.filter(project=project).first() or QualitySettings(project=project)


def quality_settings_update(*, project: Project, user: User, honeypot_share: float | str) -> QualitySettings:
    role_check(user, project, MANAGERS, denied="only managers change quality settings")
    try:
        share = float(honeypot_share)
    except (TypeError, ValueError) as exc:
        raise ApplicationError("honeypot_share must be a number between 0 and 1", field="honeypot_share") from exc
    if not 0.0 <= share <= 1.0:
        raise ApplicationError("honeypot_share must be between 0 and 1", field="honeypot_share")
    settings, _ = QualitySettings.objects.update_or_create(project=project, defaults={"honeypot_share": share})
    return settings
