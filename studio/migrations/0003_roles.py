"""Set up the roles: Teacher and Admin groups with their permissions (clients need none)."""

from django.db import migrations

from studio.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("studio", "0002_tre_page"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("classes", "0001_initial"),
        ("bookings", "0001_initial"),
        ("blog", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
