"""manage.py reset_password USERNAME_OR_EMAIL [--password P | prompted]

Sets a new password (validated); every session of the user ends and their API token is
rotated, as with a reset by e-mail."""

import getpass

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from annotators.people import services
from labelstudio.core.exceptions import ApplicationError


class Command(BaseCommand):
    help = "Set a user's password from the command line."

    def add_arguments(self, parser):
        parser.add_argument("user", help="username or e-mail")
        parser.add_argument("--password", help="not recommended: visible in the process list and shell history")

    def handle(self, *args, user, password, **options):
        found = get_user_model().objects.filter(Q(username=user) | Q(email__iexact=user)).order_by("id")
        if found.count() != 1:
            raise CommandError(f"no single user called '{user}'")
        if not password:
            password = getpass.getpass("New password: ")
            if password != getpass.getpass("New password (again): "):
                raise CommandError("the passwords differ")
        try:
            services.password_change(user=found.get(), new_password=password)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"password of {found.get().username} changed; their sessions ended and API token rotated")
