"""Label Studio's own clients against a live server, for people: the SDK's ``users.*`` and
``organizations.*`` (with ``invites`` and ``members``) and the legacy ``Client.get_users()`` /
``create_user()`` / ``User.set_role``. Each answer is checked for its meaning."""

import pytest
from label_studio_sdk import LabelStudio
from label_studio_sdk._legacy import Client
from label_studio_sdk._legacy.users import UserRole
from label_studio_sdk.core.api_error import ApiError
from rest_framework.authtoken.models import Token

from labelstudio.core import orgs
from tests.factories import make_organization, make_user

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def org():
    return make_organization("SDK org")


@pytest.fixture
def owner(org):
    return make_user("owner", org_role="owner", organization=org)


def _sdk(live_server, user):
    return LabelStudio(base_url=live_server.url, api_key=Token.objects.get_or_create(user=user)[0].key)


def test_sdk_users_and_current_user(live_server, owner, org):
    elsewhere = make_user("elsewhere", organization=make_organization("Other"))
    sdk = _sdk(live_server, owner)
    me = sdk.users.whoami()
    assert me.id == owner.pk and me.username == owner.username and me.active_organization == org.pk
    assert sdk.users.get_current_user().email == owner.email
    updated = sdk.users.update_current_user(first_name="Olga", last_name="Owner", phone="+1 555")
    assert (updated.first_name, updated.phone, updated.initials) == ("Olga", "+1 555", "OO")

    created = sdk.users.create(
        username="sdkuser", email="sdkuser@example.com", first_name="Sam", password="Sdk-long-pass-1"
    )
    assert created.id and created.username == "sdkuser"
    listed = sdk.users.list()
    assert {u.username for u in listed} == {owner.username, "sdkuser"}  # not the other organization's
    assert elsewhere.username not in {u.username for u in listed}
    assert sdk.users.get(id=created.id).first_name == "Sam"
    assert sdk.users.update(id=created.id, last_name="Smith").last_name == "Smith"
    roles = {u.id: u.org_membership[0].role for u in listed}
    assert roles == {owner.pk: "OW", created.id: "AN"}

    old_token = Token.objects.get(user=owner).key
    assert sdk.users.with_raw_response.get_token().data.model_extra["token"] == old_token
    new_token = sdk.users.reset_token().token
    assert new_token and new_token != old_token and Token.objects.get(user=owner).key == new_token
    with pytest.raises(ApiError) as err:
        sdk.users.whoami()  # the old token stopped working
    assert err.value.status_code == 401
    sdk = LabelStudio(base_url=live_server.url, api_key=new_token)
    assert sdk.users.whoami().id == owner.pk

    hotkeys = sdk.users.update_hotkeys(custom_hotkeys={"annotation:submit": {"key": "ctrl+enter", "active": True}})
    assert hotkeys.custom_hotkeys["annotation:submit"]["key"] == "ctrl+enter"
    assert sdk.users.get_hotkeys().custom_hotkeys == hotkeys.custom_hotkeys

    sdk.users.delete(id=created.id)  # deactivates
    assert sdk.users.get(id=created.id).model_extra.get("is_active") is False
    with pytest.raises(ApiError) as err:
        sdk.users.get(id=elsewhere.pk)
    assert err.value.status_code == 404


def test_sdk_organizations_members_and_invites(live_server, owner, org):
    annotator = make_user("ann", org_role="annotator", organization=org)
    sdk = _sdk(live_server, owner)
    assert [o.id for o in sdk.organizations.list()] == [org.pk]
    got = sdk.organizations.get(id=org.pk)
    assert got.title == "SDK org" and got.id == org.pk
    assert sdk.organizations.update(id=org.pk, title="Renamed").title == "Renamed"

    members = list(sdk.organizations.members.list(id=org.pk, page_size=1))
    assert {m.user.id: m.role for m in members} == {owner.pk: "OW", annotator.pk: "AN"}
    changed = sdk.organizations.members.update(id=org.pk, user_id=annotator.pk, role="RE")
    assert changed.role == "RE" and orgs.org_role(annotator) == "reviewer"

    link = sdk.organizations.invites.get_invite_link()
    assert link.token and link.invite_url.endswith(f"/user/signup/?token={link.token}")
    reset = sdk.organizations.reset_token()
    assert reset.token != link.token
    sdk.organizations.invites.send_email(emails=["new@example.com"], role="AN")
    sdk.organizations.invites.revoke_invite(email="new@example.com")

    # an annotator may not see the link, nor anybody else
    ann_sdk = _sdk(live_server, make_user("ann2", org_role="annotator", organization=org))
    with pytest.raises(ApiError) as err:
        ann_sdk.organizations.invites.get_invite_link()
    assert err.value.status_code == 403
    assert [u.id for u in ann_sdk.users.list()] == [ann_sdk.users.whoami().id]


def test_legacy_client_get_users_create_user_and_set_role(live_server, owner, org):
    member = make_user("member", org_role="annotator", organization=org)
    make_user("foreigner", organization=make_organization("Foreign"))
    client = Client(url=live_server.url, api_key=Token.objects.create(user=owner).key)
    users = client.get_users()
    assert sorted(u.username for u in users) == sorted([owner.username, member.username])
    assert all(u.active_organization == org.pk for u in users)
    assert {u.org_membership[0].role for u in users} == {UserRole.OWNER, UserRole.ANNOTATOR}
    assert "foreigner" not in " ".join(u.username for u in users)
    created = client.create_user(
        {"username": "legacy", "email": "legacy@example.com", "first_name": "L", "last_name": "C"}
    )
    assert created.username == "legacy" and created.active_organization == org.pk
    created.set_role(UserRole.MANAGER)
    assert orgs.org_role(type(owner).objects.get(username="legacy")) == "manager"
    assert client.create_user({"username": "legacy", "email": "legacy@example.com"}) is None  # exists
