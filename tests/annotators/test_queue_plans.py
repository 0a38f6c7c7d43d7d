"""Next-task stays flat as a project fills up (PostgreSQL): the queue's statements must read a
handful of rows however many tasks are already labeled and however many completions the user
has — even with statistics taken before any of it, which is what the planner has in the middle
of a labeling campaign. Before task_open_idx and the per-row EXISTS probes, these statements
stepped over every labeled task (primary-key walk) and read every completion of the user
(hashed subplan): thousands of rows per request here, growing with the project."""

import json

import pytest
from django.db import connection

from annotators.models import Completion
from annotators.services import distribution
from annotators.services import queue_sql as sql
from projects.models import Membership
from projects.services import membership_set
from tasks.models import Task
from tests import factories
from tests.annotators.conftest import choice

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL query plans"),
]

DONE = 3000


def rows_read(statement: str, params) -> int:
    """Rows produced or filtered out by every node of the executed plan."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan

    def walk(node) -> int:
        own = node.get("Actual Rows", 0) * node.get("Actual Loops", 1) + node.get("Rows Removed by Filter", 0)
        return own + sum(walk(child) for child in node.get("Plans", []))

    return walk(plan[0]["Plan"])


def test_queue_reads_a_handful_of_rows_after_thousands_are_labeled(project, manager):
    user = factories.make_user("busy")
    membership_set(project=project, user=user, role=Membership.Role.ANNOTATOR)
    Task.objects.bulk_create(Task(project=project, data={"text": f"t{i}"}) for i in range(DONE + 50))
    with connection.cursor() as cursor:  # statistics from before the campaign: nothing labeled
        cursor.execute("ANALYZE tasks_task; ANALYZE annotators_completion")
    done = list(Task.objects.filter(project=project).order_by("id").values_list("id", flat=True)[:DONE])
    Completion.objects.bulk_create(
        Completion(task_id=t, project=project, completed_by=user, result=choice("Positive")) for t in done
    )
    Task.objects.filter(pk__in=done).update(is_labeled=True, total_annotations=1)

    queue = distribution._Queue(user, project)
    candidates = sql.candidates_sql(sql.Candidates(), queue, limit=distribution.BATCH, exclude=[], lock=None)
    assert rows_read(*candidates) < 100
    first_open = Task.objects.filter(project=project, is_labeled=False).order_by("id")[:4]
    recount = sql.recount_sql(queue, [t.pk for t in first_open], own_skip=False)
    assert rows_read(*recount) < 100

    # the rejected-first probe walks the partial index of rejected completions, not the user's 3000;
    # the whole state statement (rejected, held, honeypot share, assignments, priority) stays small
    assert rows_read(sql.rejected_sql([]), [project.pk, user.pk]) < 10
    state = [project.pk, user.pk, user.pk, project.pk, queue.now_db, user.pk, project.pk, project.pk, project.pk]
    assert rows_read(sql.state_sql(), state) < 100
    assert rows_read(sql.LOCKED_BY_OTHERS, [project.pk, queue.now_db, user.pk, user.pk]) < 100

    task = distribution.next_task_for(user, project)  # and the whole request serves the first open task
    assert task.pk == first_open[0].pk
