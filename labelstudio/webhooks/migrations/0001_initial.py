# The Webhook model moves here from ml_backends with its rows: this migration only takes over the
# model state of the existing table ml_backends_webhook (no SQL); 0002 renames the table.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("ml_backends", "0002_initial"),
        ("projects", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Webhook",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("url", models.URLField(max_length=2000)),
                        ("events", models.JSONField(blank=True, default=list, help_text="event names; empty = all events")),
                        ("send_payload", models.BooleanField(default=True)),
                        ("headers", models.JSONField(blank=True, default=dict)),
                        ("is_active", models.BooleanField(default=True)),
                        ("last_status", models.CharField(blank=True, help_text="outcome of the last delivery", max_length=200)),
                        ("last_delivered_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "project",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="webhooks",
                                to="projects.project",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["id"],
                        "db_table": "ml_backends_webhook",
                        "indexes": [models.Index(fields=["project", "is_active"], name="webhook_project_active_idx")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
