"""manage.py createuser USERNAME [--email E] [--role R] [--organization ID] [--password P | prompted]

Creates a user in an organization (default: the first one) with an organization role; the
password goes through the password validators. Without --password it is asked twice; with
--no-password the account can log in only after a reset."""

import getpass

from django.core.management.base import BaseCommand, CommandError

from annotators.people import services
from labelstudio.core import orgs
from labelstudio.core.exceptions import ApplicationError
from labelstudio.core.models import Organization


class Command(BaseCommand):
    help = "Create a user in an organization with a role."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--role", default=orgs.ANNOTATOR, choices=list(orgs.RANK))
        parser.add_argument("--organization", type=int, help="organization id (default: the first)")
        parser.add_argument("--password", help="not recommended: visible in the process list and shell history")
        parser.add_argument("--no-password", action="store_true", help="no usable password until a reset")
        parser.add_argument("--staff", action="store_true", help="may use the Django admin")

    def handle(self, *args, username, email, role, organization, password, no_password, staff, **options):
        org = Organization.objects.filter(pk=organization).first() if organization else orgs.default_organization()
        if org is None:
            raise CommandError(f"no organization with id {organization}")
        if not password and not no_password:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("the passwords differ")
        try:
            user = services.user_create(
                organization=org, username=username, email=email, password=password or None, role=role, is_staff=staff
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"created {user.username} (id {user.pk}) as {role} of {org.title}")
