# The Webhook model now belongs to labelstudio.webhooks (its 0001 takes over the table, 0002
# renames it): here it only leaves this app's model state; no SQL, the rows stay.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("ml_backends", "0002_initial"),
        ("webhooks", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Webhook")],
            database_operations=[],
        ),
    ]
