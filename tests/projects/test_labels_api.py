"""Saved labels (Label Studio's /api/labels, /api/label_links): user-added Taxonomy items saved
for a project, scoped to the organization, added by members, changed by managers."""

from __future__ import annotations

import pytest

from projects.models import Label, LabelLink
from projects.services import membership_set, project_update
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

CONFIG = """<View>
  <Text name="text" value="$text"/>
  <Taxonomy name="tax" toName="text" isEditable="true">
    <Choice value="Animal"><Choice value="Bird"/></Choice>
  </Taxonomy>
</View>"""


@pytest.fixture
def setup():
    org = factories.make_organization("Labels org")
    manager = factories.make_user("lm", org_role="manager", organization=org)
    annotator = factories.make_user("la", org_role="annotator", organization=org)
    outsider = factories.make_user("lo", org_role="annotator", organization=org)  # not in the project
    project = factories.make_project(created_by=manager, label_config=CONFIG)
    membership_set(project=project, user=annotator, role="annotator")
    return {"org": org, "manager": manager, "annotator": annotator, "outsider": outsider, "project": project}


def _add(client, project, *paths, from_name="tax"):
    body = [{"value": p, "title": f"{from_name}:{p}", "project": project.pk, "from_name": from_name} for p in paths]
    return client.post("/api/labels", body, format="json")


def test_an_annotator_adds_a_list_and_it_is_linked_to_the_project(setup):
    client = client_for(setup["annotator"])
    r = _add(client, setup["project"], ["Animal", "Fish"], ["Plant"])
    assert r.status_code == 201, r.content
    got = r.json()
    assert [x["value"] for x in got] == [["Animal", "Fish"], ["Plant"]]
    assert {(x["project"], x["from_name"]) for x in got} == {(setup["project"].pk, "tax")}
    assert all(x["organization"] == setup["org"].pk and x["created_by"] == setup["annotator"].pk for x in got)
    # the same title again reuses the label (unique per organization) and the link
    again = _add(client, setup["project"], ["Animal", "Fish"])
    assert again.status_code == 201 and again.json()[0]["id"] == got[0]["id"]
    assert Label.objects.filter(organization=setup["org"]).count() == 2
    assert LabelLink.objects.filter(project=setup["project"]).count() == 2


def test_links_list_by_project_with_expand(setup):
    _add(client_for(setup["annotator"]), setup["project"], ["Animal", "Fish"])
    other = factories.make_project(created_by=setup["manager"], label_config=CONFIG)
    _add(client_for(setup["manager"]), other, ["Rock"])
    client = client_for(setup["annotator"])
    plain = client.get(f"/api/label_links?project={setup['project'].pk}").json()
    assert plain["count"] == 1 and isinstance(plain["results"][0]["label"], int)
    expanded = client.get(f"/api/label_links?project={setup['project'].pk}&expand=label").json()["results"]
    assert expanded[0]["from_name"] == "tax" and expanded[0]["label"]["value"] == ["Animal", "Fish"]
    # the annotator is not in the other project: its link is not listed, nor its label
    assert client.get(f"/api/label_links?project={other.pk}").json()["count"] == 0
    assert [x["value"] for x in client.get("/api/labels").json()["results"]] == [["Animal", "Fish"]]
    assert client_for(setup["manager"]).get("/api/label_links").json()["count"] == 2


def test_bad_bodies_are_refused(setup):
    client = client_for(setup["annotator"])
    assert _add(client, setup["project"], ["A"], from_name="nope").status_code == 400  # no such control
    assert _add(client, setup["project"], "notapath").status_code == 400
    other = factories.make_project(created_by=setup["manager"], label_config=CONFIG)
    membership_set(project=other, user=setup["annotator"], role="annotator")
    mixed = [
        {"value": ["A"], "title": "a", "project": setup["project"].pk, "from_name": "tax"},
        {"value": ["B"], "title": "b", "project": other.pk, "from_name": "tax"},
    ]
    assert client.post("/api/labels", mixed, format="json").status_code == 400
    assert not Label.objects.exists()


def test_non_members_and_other_organizations_get_404(setup):
    label_id = _add(client_for(setup["annotator"]), setup["project"], ["Animal", "Fish"]).json()[0]["id"]
    link_id = LabelLink.objects.get().pk
    stranger = factories.make_user("ls", org_role="owner", organization=factories.make_organization("Other"))
    for user in (setup["outsider"], stranger):
        client = client_for(user)
        assert _add(client, setup["project"], ["X"]).status_code == 404
        assert client.get(f"/api/labels/{label_id}").status_code == 404
        assert client.patch(f"/api/labels/{label_id}", {"title": "x"}, format="json").status_code == 404
        assert client.delete(f"/api/label_links/{link_id}").status_code == 404
        assert client.get("/api/label_links").json()["count"] == 0
    assert Label.objects.get().title == "tax:['Animal', 'Fish']"
    assert LabelLink.objects.count() == 1


def test_annotators_may_not_change_or_remove_managers_may(setup):
    label_id = _add(client_for(setup["annotator"]), setup["project"], ["Animal", "Fish"]).json()[0]["id"]
    link_id = LabelLink.objects.get().pk
    annotator = client_for(setup["annotator"])
    assert annotator.patch(f"/api/labels/{label_id}", {"value": ["Animal", "Fishes"]}, format="json").status_code == 403
    assert annotator.delete(f"/api/label_links/{link_id}").status_code == 403
    assert annotator.delete(f"/api/labels/{label_id}").status_code == 403
    manager = client_for(setup["manager"])
    r = manager.patch(f"/api/labels/{label_id}", {"value": ["Animal", "Fishes"], "approved": True}, format="json")
    assert r.status_code == 200 and r.json()["approved_by"] == setup["manager"].pk
    assert (
        manager.patch(f"/api/label_links/{link_id}", {"from_name": "tax2"}, format="json").json()["from_name"] == "tax2"
    )
    assert manager.delete(f"/api/label_links/{link_id}").status_code == 204
    assert LabelLink.objects.count() == 0
    # the unlinked label stays in the organization: its maker and the organization's owner see it
    assert annotator.get(f"/api/labels/{label_id}").json()["value"] == ["Animal", "Fishes"]
    assert manager.get(f"/api/labels/{label_id}").status_code == 404
    owner = client_for(factories.make_user("low", org_role="owner", organization=setup["org"]))
    assert owner.delete(f"/api/labels/{label_id}").status_code == 204
    assert not Label.objects.exists()


def test_a_saved_path_validates_and_keeps_a_config_change_possible(setup):
    """A result using a saved item validates; changing the config (here: turning isEditable off)
    is not refused for a label the project saved (Label Studio counts saved labels as present)."""
    from annotators.services.completions import completion_create

    _add(client_for(setup["annotator"]), setup["project"], ["Animal", "Fish"])
    task = factories.make_task(setup["project"], {"text": "a fish"})
    result = [{"from_name": "tax", "to_name": "text", "type": "taxonomy", "value": {"taxonomy": [["Animal", "Fish"]]}}]
    completion_create(task=task, user=setup["annotator"], result=result)
    project_update(project=setup["project"], label_config=CONFIG.replace(' isEditable="true"', ""))
    LabelLink.objects.all().delete()
    with pytest.raises(Exception, match="Fish"):
        project_update(project=setup["project"], label_config=CONFIG.replace("Bird", "Crow"))


CHOICES = factories.TEXT_CONFIG


def test_bulk_relabels_completions_of_a_project_for_its_managers(setup):
    """Label Studio's POST /api/labels/bulk: value[type] == old_label becomes new_label; checked
    against the config; managers of the project only (others 403, other organizations 404)."""
    from annotators.models import Completion
    from annotators.services.completions import completion_create

    project = factories.make_project(created_by=setup["manager"], label_config=CHOICES)
    membership_set(project=project, user=setup["annotator"], role="annotator")
    item = {"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}
    made = [completion_create(task=factories.make_task(project), user=setup["annotator"], result=[item]) for _ in "ab"]
    other = {**item, "value": {"choices": ["Neutral"]}}
    completion_create(task=factories.make_task(project), user=setup["annotator"], result=[other])
    body = {"project": project.pk, "old_label": ["Positive"], "new_label": ["Negative"]}
    assert client_for(setup["annotator"]).post("/api/labels/bulk", body, format="json").status_code == 403
    stranger = factories.make_user("lb", org_role="owner", organization=factories.make_organization("B"))
    assert client_for(stranger).post("/api/labels/bulk", body, format="json").status_code == 404
    bad = {**body, "new_label": ["Furious"]}  # not a choice of the config: nothing is changed
    assert client_for(setup["manager"]).post("/api/labels/bulk", bad, format="json").status_code == 400
    assert [c.result[0]["value"]["choices"] for c in Completion.objects.filter(pk__in=[m.pk for m in made])] == [
        ["Positive"],
        ["Positive"],
    ]
    r = client_for(setup["manager"]).post("/api/labels/bulk", body, format="json")
    assert r.status_code == 200 and r.json() == {"annotations_updated": 2}
    got = {c.result[0]["value"]["choices"][0] for c in Completion.objects.filter(project=project)}
    assert got == {"Negative", "Neutral"}
    assert all(
        c.version == m.version + 1
        for c, m in zip(Completion.objects.filter(pk__in=[m.pk for m in made]).order_by("id"), made, strict=True)
    )
    # without a project: only the organization's owners and administrators
    no_project = {"old_label": ["Negative"], "new_label": ["Neutral"]}
    assert client_for(setup["manager"]).post("/api/labels/bulk", no_project, format="json").status_code == 403
    owner = factories.make_user("lbo", org_role="owner", organization=setup["org"])
    assert client_for(owner).post("/api/labels/bulk", no_project, format="json").json() == {"annotations_updated": 2}
