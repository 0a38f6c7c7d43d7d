"""The periodic lock cleanup deletes only expired locks."""

from datetime import timedelta

import pytest
from django.utils import timezone

from annotators.celery_tasks import expire_task_locks
from annotators.models import TaskLock
from tests.factories import make_task

pytestmark = pytest.mark.django_db


def test_expired_locks_are_deleted_and_live_ones_kept(project, manager, annotator):
    now = timezone.now()
    old = TaskLock.objects.create(task=make_task(project), user=annotator, expire_at=now - timedelta(seconds=1))
    live = TaskLock.objects.create(task=make_task(project), user=manager, expire_at=now + timedelta(minutes=5))
    assert expire_task_locks.delay().get() == {"deleted": 1}
    assert not TaskLock.objects.filter(pk=old.pk).exists()
    assert TaskLock.objects.filter(pk=live.pk).exists()
