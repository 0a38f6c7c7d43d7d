"""Label Studio's own SDK (label-studio-sdk 2.1.2) drives our export endpoints against a live server:
formats, create / get / list / download / convert / delete, and the community direct download."""

import json

import pytest
from label_studio_sdk import LabelStudio
from rest_framework.authtoken.models import Token

from tests import factories

from .cases import TEXT_CONFIG, text_tasks
from .conftest import build

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


def test_sdk_exports(live_server):
    users = {"alice": factories.make_user("alice"), "bob": factories.make_user("bob")}
    project = build(TEXT_CONFIG, text_tasks(), users)
    sdk = LabelStudio(base_url=live_server.url, api_key=Token.objects.create(user=users["alice"]).key)
    exports = sdk.projects.exports

    names = [f["name"] if isinstance(f, dict) else f for f in exports.list_formats(id=project.id)]
    assert {"JSON", "CSV", "CONLL2003"} <= set(names)

    created = exports.create(id=project.id, title="from the SDK", task_filter_options={"only_with_annotations": True})
    export = exports.get(export_pk=created.id, id=project.id)
    assert export.status == "completed" and export.title == "from the SDK"
    assert [e.id for e in exports.list(id=project.id)] == [created.id]

    tasks = json.loads(b"".join(exports.download(export_pk=created.id, id=project.id, export_type="JSON")))
    assert len(tasks) == 3 and {len(t["annotations"]) for t in tasks} == {1, 2}

    converted = exports.convert(export_pk=created.id, id=project.id, export_type="JSON_MIN")
    assert converted.converted_format and converted.export_type == "JSON_MIN"
    assert {c.export_type for c in exports.get(export_pk=created.id, id=project.id).converted_formats} == {
        "JSON",
        "JSON_MIN",
    }
    records = json.loads(b"".join(exports.download(export_pk=created.id, id=project.id, export_type="JSON_MIN")))
    assert len(records) == 4

    everything = exports.as_json(project.id)  # Community edition path: GET /export, download_all_tasks
    assert len(everything) == 4

    exports.delete(export_pk=created.id, id=project.id)
    assert exports.list(id=project.id) == []
