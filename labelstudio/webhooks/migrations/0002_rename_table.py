# The table takes this app's name (rows, index and sequence are kept: a rename), and the admin's
# content type follows the model so existing permissions on webhooks still apply.

from django.db import migrations


def move_content_type(apps, schema_editor, old="ml_backends", new="webhooks"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new, model="webhook").exists():
        ContentType.objects.filter(app_label=old, model="webhook").update(app_label=new)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, old="webhooks", new="ml_backends")


class Migration(migrations.Migration):

    dependencies = [
        ("webhooks", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable(name="webhook", table=None),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
