import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploads and renditions go to a folder of this test only."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def desk_admin(db):
    """The studio's admin (the Admin role, not a superuser): the one the writing desk is for."""
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    admin = UserFactory(email="beheer@example.nl", first_name="Anna", is_staff=True)
    admin.groups.add(Group.objects.get_or_create(name="Admin")[0])
    return admin


@pytest.fixture
def at_desk(client, desk_admin):
    """A test client signed in as the admin."""
    client.force_login(desk_admin)
    return client
