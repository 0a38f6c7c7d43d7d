"""Task locks now live only while the labeling page is open (it sends heartbeats); the lock time is
how long a lock survives a page that vanished without saying so. Projects still on the old
10-minute default get the new short one; values chosen by hand stay."""

from django.db import migrations, models


def shorten(apps, schema_editor):
    apps.get_model("projects", "Project").objects.filter(task_lock_ttl=600).update(task_lock_ttl=90)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="project",
            name="task_lock_ttl",
            field=models.PositiveIntegerField(default=90, help_text="seconds"),
        ),
        migrations.RunPython(shorten, migrations.RunPython.noop),
    ]
