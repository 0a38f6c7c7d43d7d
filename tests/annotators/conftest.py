"""Fixtures for the annotators tests: a project with members in each role."""

import pytest

from projects.models import Membership
from projects.services import membership_set
from tests import factories


@pytest.fixture
def reviewer(db, project):
    user = factories.make_user("reviewer")
    membership_set(project=project, user=user, role=Membership.Role.REVIEWER)
    return user


@pytest.fixture
def annotators(db, project):
    """Three annotators of ``project``."""
    users = [factories.make_user("ann") for _ in range(3)]
    for user in users:
        membership_set(project=project, user=user, role=Membership.Role.ANNOTATOR)
    return users


@pytest.fixture
def outsider(db):
    return factories.make_user("outsider")


def choice(value: str, from_name: str = "sentiment", to_name: str = "text") -> list:
    return [{"id": "r1", "from_name": from_name, "to_name": to_name, "type": "choices", "value": {"choices": [value]}}]
