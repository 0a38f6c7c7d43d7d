"""Task.prediction_score, the average of a task's prediction scores (Label Studio's
``predictions_score``): kept by every prediction writer, and the order of the data manager's
``sort=score`` and the API's ``ordering=predictions_score`` — tasks without a scored prediction
last in either direction, ties by id in the sort's direction."""

import json

import pytest
from django.db.models import Avg

from ml_backends.models import Prediction
from tasks.models import Task
from tests.conftest import client_for
from tests.factories import make_task
from tests.tasks.importers.conftest import json_file

pytestmark = pytest.mark.django_db


def choice(label):
    return [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": [label]}}]


def assert_scores_match_predictions(project):
    """Each task's column equals the average recomputed from its predictions (None: no score)."""
    want = dict(
        Prediction.objects.filter(project=project, score__isnull=False)
        .values("task_id")
        .annotate(avg=Avg("score"))
        .values_list("task_id", "avg")
    )
    got = dict(project.tasks.values_list("id", "prediction_score"))
    assert got.keys() >= want.keys()
    for task_id, score in got.items():
        assert score == (pytest.approx(want[task_id]) if task_id in want else None), task_id


def test_api_writers_keep_the_average(api, project):
    task, other = make_task(project), make_task(project)
    post = {"task": task.pk, "result": choice("Positive"), "model_version": "m1"}
    first = api.post("/api/predictions/", {**post, "score": 0.2}, format="json").json()["id"]
    api.post("/api/predictions/", {**post, "score": 0.6}, format="json")
    api.post("/api/predictions/", {**post, "score": None}, format="json")  # unscored: not in the average
    assert_scores_match_predictions(project)
    assert Task.objects.get(pk=task.pk).prediction_score == pytest.approx(0.4)

    assert api.patch(f"/api/predictions/{first}", {"score": 0.8}, format="json").status_code == 200
    assert Task.objects.get(pk=task.pk).prediction_score == pytest.approx(0.7)
    assert api.delete(f"/api/predictions/{first}").status_code == 204
    assert Task.objects.get(pk=task.pk).prediction_score == pytest.approx(0.6)
    assert_scores_match_predictions(project)

    # Label Studio's bulk prediction import
    items = [{"task": other.pk, "result": choice("Negative"), "score": s} for s in (0.1, 0.3)]
    assert api.post(f"/api/projects/{project.pk}/import/predictions", items, format="json").status_code == 201
    assert Task.objects.get(pk=other.pk).prediction_score == pytest.approx(0.2)
    assert_scores_match_predictions(project)

    # the data manager's "delete predictions" action: no prediction, no score
    url = f"/api/dm/actions/?project={project.pk}&id=delete_tasks_predictions"
    done = api.post(url, {"selectedItems": {"all": False, "included": [task.pk]}}, format="json")
    assert done.status_code == 200, done.content
    assert Task.objects.get(pk=task.pk).prediction_score is None
    assert Task.objects.get(pk=other.pk).prediction_score == pytest.approx(0.2)
    assert_scores_match_predictions(project)


def test_import_with_predictions_sets_the_average(project, run_import_tasks):
    payload = [
        {"data": {"text": "two"}, "predictions": [{"result": choice("Positive"), "score": s} for s in (0.25, 0.75)]},
        {"data": {"text": "unscored"}, "predictions": [{"result": choice("Positive")}]},
        {"data": {"text": "plain"}},
        {"data": {"text": "int"}, "predictions": [{"result": choice("Negative"), "score": 1}]},
    ]
    job = run_import_tasks(project, files=[json_file("t.json", payload)])
    assert job.status == "succeeded", job.error
    by_text = {t.data["text"]: t.prediction_score for t in project.tasks.all()}
    assert by_text == {"two": pytest.approx(0.5), "unscored": None, "plain": None, "int": pytest.approx(1.0)}
    assert_scores_match_predictions(project)


@pytest.fixture
def run_import_tasks(django_capture_on_commit_callbacks, manager, settings, tmp_path):
    from tasks.importers.services import import_job_create

    settings.DATA_DIR = tmp_path

    def run(project, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            job = import_job_create(project=project, created_by=manager, **kwargs)
        job.refresh_from_db()
        return job

    return run


@pytest.fixture
def scored(project):
    """Tasks with scores 0.5, None, 0.2, 0.9, None, 0.5, 0.2 (in id order)."""
    scores = [0.5, None, 0.2, 0.9, None, 0.5, 0.2]
    tasks = [make_task(project, {"text": f"t{i}"}) for i in range(len(scores))]
    Prediction.objects.bulk_create(
        [Prediction(task=t, project=project, score=s, result=[]) for t, s in zip(tasks, scores, strict=True) if s]
    )
    from tasks.services import task_counters_refresh

    task_counters_refresh([t.pk for t in tasks])
    ids = [t.pk for t in tasks]
    # NULLs last either way (Label Studio's data manager); ties by id in the sort's direction
    asc = [ids[2], ids[6], ids[0], ids[5], ids[3], ids[1], ids[4]]
    desc = [ids[3], ids[5], ids[0], ids[6], ids[2], ids[4], ids[1]]
    return project, asc, desc


def test_api_ordering_puts_unscored_tasks_last_either_way(api, scored):
    project, asc, desc = scored
    for ordering, want in (("predictions_score", asc), ("-predictions_score", desc)):
        got = api.get("/api/tasks/", {"project": project.pk, "ordering": ordering}).json()["tasks"]
        assert [t["id"] for t in got] == want, ordering
        # offset pages (the scored segment, then the unscored one, whatever the page size)
        for size in (1, 2, 3, 4):
            pages = []
            for page in range(1, 10):
                response = api.get("/api/tasks/", {"project": project.pk, "ordering": ordering, "page": page,
                                                   "page_size": size})  # fmt: skip
                if response.status_code == 404:
                    break
                pages += [t["id"] for t in response.json()["tasks"]]
            assert pages == want, (ordering, size)
    # Label Studio's data-manager query: ordering and a filter on the average
    query = {"ordering": ["-tasks:predictions_score"]}
    got = api.get("/api/tasks/", {"project": project.pk, "query": json.dumps(query)}).json()["tasks"]
    assert [t["id"] for t in got] == desc
    query = {"filters": {"conjunction": "and", "items": [
        {"filter": "filter:tasks:predictions_score", "operator": "in", "type": "Number", "value": {"min": 0.3, "max": 1}}
    ]}, "ordering": ["tasks:predictions_score"]}  # fmt: skip
    got = api.get("/api/tasks/", {"project": project.pk, "query": json.dumps(query)}).json()["tasks"]
    assert [t["id"] for t in got] == asc[2:5]


def _dm_ids(html: str) -> list[int]:
    import re

    return [int(x) for x in re.findall(r'<tr data-task="(\d+)"', html)]


def test_data_manager_sort_by_score_walks_keyset_pages_both_ways(manager, scored):
    project, asc, desc = scored
    client = client_for(manager)
    client.force_login(manager)
    from tasks.datamanager import task_page

    qs = project.tasks.all()
    for is_desc, want in ((False, asc), (True, desc)):
        html = client.get(f"/projects/{project.pk}/data/?sort=score&desc={'1' if is_desc else ''}").content.decode()
        assert _dm_ids(html) == want
        for size in (1, 2, 3):
            seen, after, pages = [], "", []
            while True:
                page = task_page(qs, sort="score", desc=is_desc, after=after, size=size)
                seen += [t.pk for t in page.tasks]
                pages.append(page)
                if not page.next_cursor:
                    break
                after = page.next_cursor
            assert seen == want, (is_desc, size)
            back, before = [], pages[-1].prev_cursor  # and backwards from the last page
            while before:
                page = task_page(qs, sort="score", desc=is_desc, before=before, size=size)
                back = [t.pk for t in page.tasks] + back
                before = page.prev_cursor
            assert back + [t.pk for t in pages[-1].tasks] == want, (is_desc, size)


def test_data_manager_score_filters_read_the_average(manager, scored):
    project, asc, _ = scored
    client = client_for(manager)
    client.force_login(manager)
    html = client.get(f"/projects/{project.pk}/data/?prediction_score_min=0.5&sort=score").content.decode()
    assert _dm_ids(html) == asc[2:5]
    html = client.get(f"/projects/{project.pk}/data/?prediction_score_max=0.2").content.decode()
    assert _dm_ids(html) == sorted(asc[:2])
