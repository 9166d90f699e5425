"""The studio's roles as groups with permissions: teacher and admin (the checks live in core.roles).

Migrations call `sync_roles(apps)` so the groups exist with exactly these
permissions; run again by a later migration when new models arrive.
"""

from core.roles import ADMIN, TEACHER

# (app label, model, actions) a teacher may use: her timetable, who comes, and the client's story.
TEACHER_PERMISSIONS = [
    ("classes", "style", ["view"]),
    ("classes", "room", ["view"]),
    ("classes", "teacher", ["view", "change"]),
    ("classes", "offering", ["view"]),
    ("classes", "weeklyslot", ["view", "add", "change", "delete"]),
    ("classes", "closure", ["view", "add", "change", "delete"]),
    ("classes", "session", ["view", "add", "change"]),
    ("bookings", "booking", ["view"]),
    ("bookings", "waitlistentry", ["view"]),
    ("bookings", "classcard", ["view"]),
    # Her one-to-one hours and the personal work.
    ("classes", "workinghours", ["view", "add", "change", "delete"]),
    ("classes", "dateexception", ["view", "add", "change", "delete"]),
    ("classes", "teacheravailability", ["view", "add", "change"]),
    ("classes", "appointmenttype", ["view", "change"]),
    ("classes", "programmerun", ["view", "add", "change"]),
    ("bookings", "appointment", ["view"]),
    ("bookings", "programmeenrolment", ["view"]),
]

# The admin runs everything the studio owns, money included.
ADMIN_APPS = ["classes", "bookings", "blog"]
ADMIN_EXTRA = [("studio", "page", ["view", "add", "change"]), ("studio", "user", ["view", "change"]),
               ("django_celery_beat", "periodictask", ["view", "change"])]


def _permissions(apps, triples):
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    found = []
    for app_label, model, actions in triples:
        content_type = ContentType.objects.filter(app_label=app_label, model=model).first()
        if content_type is None:
            continue
        found.extend(Permission.objects.filter(content_type=content_type, codename__in=[f"{a}_{model}" for a in actions]))
    return found


def sync_roles(apps, schema_editor=None):
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    for app_config in global_apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0, apps=apps)
        create_permissions(app_config, verbosity=0, apps=apps)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    teacher, _ = Group.objects.get_or_create(name=TEACHER)
    teacher.permissions.set(_permissions(apps, TEACHER_PERMISSIONS))
    admin, _ = Group.objects.get_or_create(name=ADMIN)
    admin_permissions = list(Permission.objects.filter(content_type__app_label__in=ADMIN_APPS))
    admin.permissions.set(admin_permissions + _permissions(apps, ADMIN_EXTRA) + _permissions(apps, TEACHER_PERMISSIONS))

