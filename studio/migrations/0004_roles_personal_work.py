"""Teachers may keep their one-to-one hours, exceptions and settings, their session types and programme
groups, and see one-to-ones and programme bookings: the roles again, now with those models."""

from django.db import migrations

from studio.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("studio", "0003_roles"),
        ("classes", "0002_personal_work"),
        ("bookings", "0003_programmes_and_appointments"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
