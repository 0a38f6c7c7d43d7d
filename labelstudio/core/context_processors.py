"""Template context: what the signed-in user may do at the organization level (the navigation
and the "Create project" button follow it)."""

from django.utils.functional import SimpleLazyObject

from . import orgs


def people(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "can_create_projects": SimpleLazyObject(lambda: orgs.can_create_projects(user)),
        "can_manage_people": SimpleLazyObject(lambda: orgs.can_manage_people(user)),
    }
