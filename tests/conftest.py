"""Shared fixtures. Helpers that build objects live in tests/factories.py."""

import pytest
from rest_framework.test import APIClient

from tests import factories


@pytest.fixture
def manager(db):
    return factories.make_user("manager")


@pytest.fixture
def annotator(db):
    return factories.make_user("annotator")


@pytest.fixture
def project(manager):
    return factories.make_project(created_by=manager)


@pytest.fixture
def api(manager):
    client = APIClient()
    client.force_authenticate(manager)
    return client


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Live job progress sits in the cache keyed by job id; ids restart between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
