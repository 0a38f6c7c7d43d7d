"""``{% project_tabs project as tabs %}``: the project tabs the current user may use, by role.

A tab shows only when its page works for the role (annotators: Data, Label, Review — their own
rejected completions; reviewers add Dashboard and Export; managers see everything)."""

from django import template

from projects.access import ALL_ROLES, MANAGER, STAFF_ROLES, role_of

register = template.Library()

TAB_ROLES = {
    "data": ALL_ROLES,
    "label": ALL_ROLES,
    "review": ALL_ROLES,
    "dashboard": STAFF_ROLES,
    "import": (MANAGER,),
    "export": STAFF_ROLES,
    "ml": (MANAGER,),
    "settings": (MANAGER,),
}


def tabs_for(role: str | None) -> set[str]:
    return {tab for tab, roles in TAB_ROLES.items() if role in roles}


@register.simple_tag(takes_context=True)
def project_tabs(context, project) -> set[str]:
    request = context.get("request")
    return tabs_for(role_of(request.user, project) if request is not None else None)
