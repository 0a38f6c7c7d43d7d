"""Bad input never answers 500: the probes of issue 12 (non-finite numbers, NUL characters, deep
and huge JSON bodies, malformed ids and filters, null headers), each a clear 4xx naming the field."""

from __future__ import annotations

import json
import math

import pytest
from django.test import override_settings

from annotators.models import Completion
from tests import factories
from tests.conftest import client_for


@pytest.fixture
def task(project):
    return factories.make_task(project)


def _post(api, url, raw: str):
    return api.generic("POST", url, raw, content_type="application/json")


def _result():
    return [
        {"id": "r1", "from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}
    ]


@pytest.mark.parametrize("number", ["1e999", "-1e999", "NaN", "Infinity", "-Infinity"])
def test_non_finite_lead_time_is_refused(api, task, number):
    body = f'{{"result": {json.dumps(_result())}, "lead_time": {number}}}'
    response = _post(api, f"/api/tasks/{task.pk}/annotations/", body)
    assert response.status_code == 400, response.content
    assert response.json()["field"] == "lead_time"
    assert not Completion.objects.filter(task=task).exists()


def test_non_finite_number_inside_a_result_names_its_place(api, task):
    body = '{"result": [{"id": "r1", "from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"], "x": 1e999}}]}'
    response = _post(api, f"/api/tasks/{task.pk}/annotations/", body)
    assert response.status_code == 400
    assert response.json()["field"] == "result[0].value.x"


def test_infinity_already_stored_does_not_break_pages(api, project, task):
    completion = Completion.objects.create(
        task=task, project=project, completed_by=project.created_by, result=_result(), lead_time=math.inf
    )
    for url in (
        f"/api/annotations/{completion.pk}/",
        f"/api/projects/{project.pk}/annotations/",
        f"/api/tasks/{task.pk}/annotations/",
        f"/api/projects/{project.pk}/stats/",
    ):
        response = api.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        json.loads(response.content)  # strict JSON: no Infinity token
    assert api.get(f"/api/annotations/{completion.pk}/").json()["lead_time"] is None


@pytest.mark.parametrize(
    "url, body, field",
    [
        ("/api/tasks/", {"project": "{project}", "data": {"text": "a\u0000b"}}, "data.text"),
        ("/api/tasks/{task}/drafts/", {"result": [{"value": {"text": "\u0000"}}]}, "result[0].value.text"),
        ("/api/tasks/{task}/annotations/", {"result": [{"from_name": "sentiment\u0000"}]}, "result[0].from_name"),
    ],
)
def test_nul_characters_are_refused_naming_the_field(api, project, task, url, body, field):
    url = url.format(task=task.pk)
    raw = json.dumps(body).replace('"{project}"', str(project.pk))
    response = _post(api, url, raw)
    assert response.status_code == 400, response.content
    assert response.json()["field"] == field
    assert "NUL" in response.json()["detail"]


def test_nul_in_a_query_parameter_is_a_400(api, project):
    response = api.get(f"/api/tasks/?project={project.pk}&text=a%00b")
    assert response.status_code == 400
    assert response.json()["field"] == "text"


@pytest.mark.parametrize("depth", [65, 5000])
def test_deeply_nested_json_is_refused(api, task, depth):
    body = '{"result": [], "lead_time": 1, "extra": ' + "[" * depth + "]" * depth + "}"
    response = _post(api, f"/api/tasks/{task.pk}/annotations/", body)
    assert response.status_code == 400
    assert "nested" in response.json()["detail"]


@override_settings(API_JSON_MAX_BYTES=1000)
def test_huge_json_body_is_413_before_parsing(api, task):
    body = json.dumps({"result": [], "pad": "x" * 5000})
    response = _post(api, f"/api/tasks/{task.pk}/annotations/", body)
    assert response.status_code == 413
    assert "limit" in response.json()["detail"]


@pytest.mark.parametrize(
    "query",
    ["ids=abc", "ids=1,x", "annotator=abc", "after=zz", "page=%C2%B2", "page=99999999999999999999999"],
)
def test_malformed_task_filters_are_400_not_500(api, project, task, query):
    response = api.get(f"/api/tasks/?project={project.pk}&{query}")
    # a page past the last one is Label Studio's 404 (its clients stop paging on it), never a 500
    allowed = (200, 400, 404) if query.startswith("page=9") else (200, 400)
    assert response.status_code in allowed, response.content[:300]


@pytest.mark.parametrize("query", ["completed_by=%C2%B2", "task=abc", "review=nope"])
def test_malformed_completion_filters(api, project, query):
    assert api.get(f"/api/projects/{project.pk}/annotations/?{query}").status_code in (200, 400)


@pytest.mark.parametrize("query", ["user=abc", "user=%C2%B2"])
def test_malformed_assignment_user_filter(api, project, query):
    assert api.get(f"/api/projects/{project.pk}/assignments/?{query}").status_code in (200, 400)


def test_drafts_project_filter(api):
    assert api.get("/api/drafts/?project=%C2%B2").status_code == 200


@pytest.mark.parametrize("value", ["abc", ["1"], {"a": 1}, "²"])
def test_s3_validate_with_non_numeric_ids(api, project, value):
    response = api.post("/api/storages/s3/validate/", {"project": value, "bucket": "b"}, format="json")
    assert response.status_code == 400, response.content
    response = api.post("/api/storages/s3/validate/", {"id": value, "project": project.pk}, format="json")
    assert response.status_code in (400, 404), response.content


def test_null_headers_on_webhooks_and_ml_backends(api, project):
    response = api.post(
        "/api/webhooks/", {"project": project.pk, "url": "https://example.com/hook", "headers": None}, format="json"
    )
    assert response.status_code == 400 and "headers" in response.json()
    response = api.post(
        "/api/ml/", {"project": project.pk, "url": "https://example.com/ml", "extra_headers": None}, format="json"
    )
    assert response.status_code == 400 and "extra_headers" in response.json()
    for bad in (["a"], {"X": {"nested": 1}}, "text"):
        response = api.post(
            "/api/webhooks/", {"project": project.pk, "url": "https://example.com/hook", "headers": bad}, format="json"
        )
        assert response.status_code == 400, (bad, response.content)


def test_member_endpoint_with_non_numeric_user(api, project):
    response = api.post(f"/api/projects/{project.pk}/members/", {"user": "abc"}, format="json")
    assert response.status_code in (400, 404)


def test_a_list_body_where_an_object_is_expected(api, task):
    completion = Completion.objects.create(
        task=task, project=task.project, completed_by=task.project.created_by, result=[]
    )
    for method in ("PATCH", "DELETE"):
        response = api.generic(method, f"/api/annotations/{completion.pk}/", "[1, 2]", content_type="application/json")
        assert response.status_code < 500


def test_huge_ids_in_bodies(api, task):
    body = {"result": [], "was_cancelled": True, "draft_id": 10**30}
    assert api.post(f"/api/tasks/{task.pk}/annotations/", body, format="json").status_code == 400
    body = {"result": [], "was_cancelled": True, "parent_prediction": 10**30}
    assert api.post(f"/api/tasks/{task.pk}/annotations/", body, format="json").status_code == 400


def test_annotator_never_sees_error_pages_for_bad_ids(project, annotator):
    from projects.services import membership_set

    membership_set(project=project, user=annotator, role="annotator")
    client = client_for(annotator)
    assert client.get("/api/tasks/?ids=abc").status_code == 400


def _strict(raw: bytes):
    def refuse(token):
        raise AssertionError(f"not JSON: {token}")

    return json.loads(raw, parse_constant=refuse)


@pytest.mark.parametrize("export_type", ["JSON", "JSON_MIN"])
def test_infinity_already_stored_exports_valid_json(api, project, task, export_type):
    Completion.objects.create(
        task=task, project=project, completed_by=project.created_by, result=_result(), lead_time=math.inf
    )
    response = api.get(f"/api/projects/{project.pk}/export", {"exportType": export_type, "download_all_tasks": "true"})
    assert response.status_code == 200
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    _strict(raw)


def test_region_cap_is_a_project_setting(api, project, task):
    many = [dict(_result()[0], id=f"r{i}") for i in range(6)]
    api.patch(f"/api/projects/{project.pk}/", {"max_regions_per_result": 5}, format="json")
    response = api.post(f"/api/tasks/{task.pk}/annotations/", {"result": many}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "result"
    assert "at most 5" in response.json()["detail"]
    response = api.post(f"/api/tasks/{task.pk}/drafts/", {"result": many}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "result"
    assert api.patch(f"/api/projects/{project.pk}/", {"max_regions_per_result": 0}, format="json").status_code == 400
    assert api.post(f"/api/tasks/{task.pk}/annotations/", {"result": many[:5]}, format="json").status_code in (201, 400)


def test_default_region_cap(project):
    assert project.max_regions_per_result == 2000


def test_predictions_with_non_finite_numbers_are_rejected():
    from ml_backends.validation import check_prediction
    from projects import label_config as lc
    from tests.factories import TEXT_CONFIG

    config = lc.parse(TEXT_CONFIG)
    item = {"result": [dict(_result()[0], value={"choices": ["Positive"], "x": math.inf})], "score": 0.5}
    _, errors = check_prediction(config, item)
    assert errors and errors[0]["field"] == "result[0].value.x"
    _, errors = check_prediction(config, {"result": _result(), "score": math.nan})
    assert errors and errors[0]["field"] == "score"


def test_ml_backend_extra_params_must_be_an_object(project):
    from labelstudio.core.exceptions import ApplicationError
    from ml_backends import services
    from ml_backends.models import MLBackend

    backend = MLBackend.objects.create(project=project, url="http://127.0.0.1:9", title="m")
    for bad in (None, [], "x"):
        with pytest.raises(ApplicationError) as caught:
            services.ml_backend_update(backend=backend, check=False, extra_params=bad)
        assert caught.value.extra["field"] == "extra_params"


def test_s3_validate_with_a_list_body(api):
    assert api.post("/api/storages/s3/validate/", [None, None], format="json").status_code == 400


@pytest.mark.parametrize("headers", [{"X-A": "a\r\nX-Injected: 1"}, {"Bad Name": "v"}, {"X-A": "a\nb"}])
def test_header_injection_is_refused(api, project, headers):
    body = {"project": project.pk, "url": "https://example.com/hook", "headers": headers}
    response = api.post("/api/webhooks/", body, format="json")
    assert response.status_code == 400 and "headers" in response.json()
    body = {"project": project.pk, "url": "https://example.com/ml", "extra_headers": headers}
    response = api.post("/api/ml/", body, format="json")
    assert response.status_code == 400 and "extra_headers" in response.json()


@pytest.mark.parametrize(
    "req",
    [
        ("post", "/api/projects/{p}/exports/", [1, 2]),
        ("post", "/api/projects/{p}/exports/", {"exportType": ["x"]}),
        ("post", "/api/projects/{p}/exports/", {"exportType": "JSON", "ids": ["abc"]}),
        ("post", "/api/projects/{p}/exports/", {"exportType": "JSON", "task_filter_options": "x"}),
        ("post", "/api/projects/{p}/exports/", {"exportType": "JSON", "annotation_filter_options": [1]}),
        ("get", "/api/projects/{p}/export?ids=abc&download_all_tasks=true", None),
        ("get", "/api/projects/{p}/export?exportType=%C2%B2&only_finished=maybe", None),
        ("get", "/api/projects/{p}/export?annotator_ids=x&exportType=CSV", None),
        ("get", "/api/projects/{p}/export?task_ids=1e999", None),
        ("post", "/api/projects/{p}/exports/99999999999999999999/convert", [1]),
        ("get", "/api/projects/{p}/exports/99999999999999999999/download", None),
        ("post", "/api/projects/{p}/import", [1, [2]]),
        ("post", "/api/projects/{p}/import", {"data": {"text": "x"}}),
        ("post", "/api/projects/{p}/import?commit_to_project=maybe&return_task_ids=x", [{"text": "a"}]),
        ("get", "/api/projects/{p}/imports/99999999999999999999", None),
        ("post", "/api/projects/{p}/export-schedules/", [1]),
        ("post", "/api/projects/{p}/export-schedules/", {"interval_hours": "1e999", "export_type": "JSON"}),
        (
            "post",
            "/api/projects/{p}/export-schedules/",
            {"interval_hours": -1, "export_type": "JSON", "target": {"kind": "local", "path": "../../etc"}},
        ),
        ("get", "/api/projects/{p}/tasks/?page_size=abc&page=-1", None),
        ("get", "/api/projects/{p}/tasks/?page_size=99999999999999999999", None),
        ("get", "/api/projects/{p}/annotations/?page=abc", None),
        ("get", "/api/jobs/?project=abc&status=zz", None),
        ("get", "/api/predictions/?task=abc", None),
        ("get", "/api/ml/?project=abc", None),
        ("get", "/api/webhooks/?project=abc", None),
        ("get", "/api/projects/?page=abc", None),
        ("post", "/api/projects/{p}/next", [1]),
        ("post", "/api/projects/{p}/quality-settings", [1]),
        ("patch", "/api/projects/{p}/quality-settings", {"honeypot_share": "1e999"}),
        ("patch", "/api/projects/{p}/ml-settings", {"hitl_score_threshold": "nan"}),
        ("patch", "/api/projects/{p}/", {"task_lock_ttl": 99999999999999999999}),
        ("patch", "/api/projects/{p}/", {"maximum_annotations": 99999999999}),
        ("post", "/api/projects/validate/", {"label_config": "<View>" * 5000}),
        ("post", "/api/projects/validate/", {"label_config": "<!DOCTYPE x [<!ENTITY a 'b'>]><View/>"}),
    ],
)
def test_malformed_requests_are_never_500(api, project, req):
    """Lists where objects belong, junk ids and numbers, huge values, entity-laden XML."""
    factories.make_task(project)
    method, url, body = req
    url = url.format(p=project.pk)
    r = getattr(api, method)(url, body, format="json") if body is not None else getattr(api, method)(url)
    assert r.status_code < 500, (url, r.content[:500])


@pytest.mark.parametrize("value", ["inf", "nan", "-Infinity", "1e999"])
def test_non_finite_numbers_in_form_bodies_are_refused(api, project, task, value):
    response = api.post(
        f"/api/tasks/{task.pk}/annotations/", {"result": "[]", "lead_time": value, "was_cancelled": "true"}
    )
    assert response.status_code == 400 and "lead_time" in response.json()
    assert not Completion.objects.filter(task=task).exists()
    assert api.patch(f"/api/projects/{project.pk}/ml-settings", {"hitl_score_threshold": value}).status_code == 400
    assert api.patch(f"/api/projects/{project.pk}/quality-settings", {"honeypot_share": value}).status_code == 400


def test_form_bodies_with_nul_or_non_finite_json(api, task):
    url = f"/api/tasks/{task.pk}/drafts/"
    response = api.post(url, {"result": '[{"value": {"text": "a\\u0000b"}}]'})
    assert response.status_code == 400 and response.json()["field"] == "result"
    response = api.post(url, {"result": '[{"value": {"x": NaN}}]'})
    assert response.status_code == 400
    response = api.post(url, {"result": "[]", "lead_time": "5"}, format="multipart")
    assert response.status_code == 201
    response = api.post(url, {"result": '[{"value": {"text": "\\u0000"}}]'}, format="multipart")
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/api/storages/export/localfiles/validate", "/api/storages/localfiles/validate"])
def test_storage_validate_with_a_non_numeric_id_is_400(api, path):
    response = api.post(path, {"id": "abc"}, format="json")
    assert response.status_code == 400, response.content[:300]
    assert response.json()["field"] == "id"
