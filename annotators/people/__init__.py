"""People: users, their organization membership, invitations and accounts (docs/permissions.md).

The Organization and OrganizationMember models and the role checks live in labelstudio/core
(every app asks them); everything a person does to arrive, manage others or look after their
own account lives here: models.py (Invite), services.py (writes), selectors.py (reads),
api.py + serializers.py (Label Studio's /api/users, /api/current-user, /api/organizations,
/api/invite), views.py (signup, people and account pages), throttle.py.
"""
