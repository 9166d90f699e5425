"""The files behind a photo: a replaced, cleared or deleted photo leaves nothing under /media/; only a file
Pillow cannot decode counts as unreadable, a storage error is tried again; the copies of photos from
before are made by `manage.py refresh_renditions`; only JPEG, PNG and WebP are taken."""

import errno
import io

import pytest
from celery.exceptions import Retry
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from blog.models import Post
from bookings.teaching.profile_forms import TeacherProfileForm
from bookings.teaching.timetable_forms import OfferingForm as TeachingOfferingForm
from classes.forms import TeacherForm
from classes.models import Offering, Teacher
from core import images, renditions
from studio.forms import DeskPageForm, PageForm
from studio.models import Page
from tests.blog.factories import PostFactory
from tests.factories import OfferingFactory, PageFactory, StyleFactory, TeacherFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]  # uploads in a folder of the test

NOT_AN_IMAGE = "Dit bestand is geen afbeelding die we kunnen gebruiken. Upload een foto in JPEG-, PNG- of WebP-formaat."


def jpeg_bytes(size=(1200, 800)):
    buffer = io.BytesIO()
    Image.radial_gradient("L").resize(size).convert("RGB").save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def files_in(media):
    return sorted(str(path.relative_to(media)) for path in media.rglob("*") if path.is_file()) if media.exists() else []


# One row of each model with a photo: (make it, the photo field, its copies' field).
KINDS = {
    "offering": (lambda: OfferingFactory(style=StyleFactory(slug="yin")), "photo", "photo_renditions"),
    "teacher": (lambda: TeacherFactory(), "photo", "photo_renditions"),
    "page": (lambda: PageFactory(key=Page.Key.ABOUT, image_alt_nl="De zaal"), "image", "image_renditions"),
    "blog post": (lambda: PostFactory(cover_alt="Een mat"), "cover_image", "cover_renditions"),
}


def give_photo(instance, field, callbacks, name="foto.jpg"):
    """Upload a photo as a form would: a fresh instance from the database, a new file, saved and committed."""
    instance = type(instance).objects.get(pk=instance.pk)
    getattr(instance, field).save(name, ContentFile(jpeg_bytes()), save=False)
    with callbacks(execute=True):
        instance.save()
    return type(instance).objects.get(pk=instance.pk)


def names_of(instance, field, copies):
    return [getattr(instance, field).name] + [item["name"] for item in getattr(instance, copies)["sizes"]]


# 1. No file left behind ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_replaced_photo_leaves_neither_its_original_nor_its_copies(kind, media, django_capture_on_commit_callbacks):
    make, field, copies = KINDS[kind]
    first = give_photo(make(), field, django_capture_on_commit_callbacks, "eerste.jpg")
    old = names_of(first, field, copies)
    assert all((media / name).exists() for name in old)

    second = give_photo(first, field, django_capture_on_commit_callbacks, "tweede.jpg")

    assert files_in(media) == sorted(names_of(second, field, copies))
    assert not set(old) & set(files_in(media))


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_cleared_photo_leaves_no_file(kind, media, django_capture_on_commit_callbacks):
    make, field, copies = KINDS[kind]
    instance = give_photo(make(), field, django_capture_on_commit_callbacks)
    assert files_in(media)

    setattr(instance, field, None)
    with django_capture_on_commit_callbacks(execute=True):
        instance.save()

    assert files_in(media) == []
    assert getattr(type(instance).objects.get(pk=instance.pk), copies) == {}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_deleted_row_leaves_no_file(kind, media, django_capture_on_commit_callbacks):
    make, field, _copies = KINDS[kind]
    instance = give_photo(make(), field, django_capture_on_commit_callbacks)
    assert files_in(media)
    with django_capture_on_commit_callbacks(execute=True):
        instance.delete()
    assert files_in(media) == []


def test_the_old_original_stays_until_the_save_commits(media, django_capture_on_commit_callbacks):
    teacher = give_photo(TeacherFactory(), "photo", django_capture_on_commit_callbacks)
    old = teacher.photo.name
    teacher.photo.save("nieuw.jpg", ContentFile(jpeg_bytes()), save=False)
    with django_capture_on_commit_callbacks(execute=False):  # rolled back: the row still names the old photo
        teacher.save()
    assert (media / old).exists()


def test_the_teachers_form_clearing_her_photo_removes_it(media, django_capture_on_commit_callbacks):
    teacher = give_photo(TeacherFactory(), "photo", django_capture_on_commit_callbacks)
    data = {"bio_nl": "Manoek.", "bio_en": "", "photo-clear": "on", "photo_alt_nl": "", "photo_alt_en": ""}
    form = TeacherProfileForm(data=data, files={}, instance=teacher)
    assert form.is_valid(), form.errors
    with django_capture_on_commit_callbacks(execute=True):
        form.save()
    assert files_in(media) == []


def test_a_save_that_keeps_the_photo_asks_the_database_nothing_more(django_capture_on_commit_callbacks, django_assert_num_queries):
    give_photo(TeacherFactory(), "photo", django_capture_on_commit_callbacks)
    teacher = Teacher.objects.get()
    teacher.bio_nl = "Anders."
    with django_assert_num_queries(1):  # the UPDATE itself: the photo it was loaded with is remembered, not asked for
        teacher.save()


# 2. Unreadable files, storage errors, the sweep ------------------------------------------------------------


def truncated_jpeg():
    return jpeg_bytes()[:2000]


def bomb_png():
    buffer = io.BytesIO()
    Image.new("L", (200, 200)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("content", [b"not really a jpeg", truncated_jpeg(), bomb_png()], ids=["not an image", "truncated", "bomb"])
def test_a_photo_pillow_cannot_decode_is_recorded_as_unreadable(content, media, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000)  # the 200 × 200 PNG is then a decompression bomb
    offering = OfferingFactory(style=StyleFactory(slug="yin"))
    offering.photo.save("kapot.jpg", ContentFile(content), save=False)
    with django_capture_on_commit_callbacks(execute=True):
        offering.save()
    offering.refresh_from_db()
    assert offering.photo_renditions == {"source": offering.photo.name, "sizes": []}
    assert files_in(media) == [offering.photo.name]


def test_a_storage_error_is_no_verdict_on_the_photo_and_the_task_tries_again(media, settings, monkeypatch,
                                                                              django_capture_on_commit_callbacks):
    teacher = TeacherFactory()
    teacher.photo.save("portret.jpg", ContentFile(jpeg_bytes()), save=False)
    Teacher.objects.filter(pk=teacher.pk).update(photo=teacher.photo.name)  # stored, no copies yet
    tries = []
    real = images.make_renditions
    monkeypatch.setattr(images, "make_renditions", lambda *args, **kwargs: tries.append(1) or real(*args, **kwargs))
    settings.MEDIA_ROOT = media.parent / "niet-aangekoppeld"  # MEDIA_ROOT unreachable for the worker

    with pytest.raises(Retry) as retry:  # the worker puts it back in the queue, to be tried later
        renditions.refresh.delay(Teacher._meta.label, teacher.pk, "photo", "photo_renditions")

    assert isinstance(retry.value.exc, FileNotFoundError) and len(tries) == 1
    assert Teacher.objects.get(pk=teacher.pk).photo_renditions == {}, "not recorded as unreadable"
    settings.MEDIA_ROOT = media  # back: the next try makes them
    renditions.refresh.delay(Teacher._meta.label, teacher.pk, "photo", "photo_renditions")
    assert [size["width"] for size in Teacher.objects.get(pk=teacher.pk).photo_renditions["sizes"]] == [480, 960, 1200]


def test_the_task_retries_storage_errors_with_backoff_only():
    task = renditions.refresh
    assert task.autoretry_for == (OSError,) and task.retry_backoff and task.max_retries == renditions.RETRIES
    assert not issubclass(images.UnreadableImage, OSError), "an unreadable photo is never tried again"


class FullDisk(FileSystemStorage):
    """A disk that fills up after the first copy."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.saved = 0

    def _save(self, name, content):
        if self.saved and "/renditions/" in name:
            raise OSError(errno.ENOSPC, "No space left on device")
        self.saved += 1
        return super()._save(name, content)


def test_a_full_disk_leaves_no_half_made_copies(media):
    storage = FullDisk(location=media)
    name = storage.save("teachers/portret.jpg", ContentFile(jpeg_bytes()))
    storage.saved = 0
    with pytest.raises(OSError, match="No space"):
        images.make_renditions(name, storage=storage)
    assert files_in(media) == ["teachers/portret.jpg"]


def test_refresh_renditions_queues_the_photos_from_before_and_leaves_the_rest(media, django_capture_on_commit_callbacks):
    done = give_photo(TeacherFactory(), "photo", django_capture_on_commit_callbacks)  # copies made: left alone
    done_copies = done.photo_renditions
    before = default_storage.save("offerings/van-vroeger.jpg", ContentFile(jpeg_bytes()))
    old_offering = OfferingFactory(style=StyleFactory(slug="hatha"))
    Offering.objects.filter(pk=old_offering.pk).update(photo=before)  # uploaded before copies were made
    wrongly_unreadable = OfferingFactory(slug="yin-later", style=StyleFactory(slug="yin"))
    stored = default_storage.save("offerings/goed.jpg", ContentFile(jpeg_bytes()))
    Offering.objects.filter(pk=wrongly_unreadable.pk).update(photo=stored, photo_renditions={"source": stored, "sizes": []})
    page = give_photo(PageFactory(key=Page.Key.ABOUT, image_alt_nl="De zaal"), "image", django_capture_on_commit_callbacks)
    (media / page.image_renditions["sizes"][0]["name"]).unlink()  # a copy lost

    out = io.StringIO()
    call_command("refresh_renditions", stdout=out)

    assert "classes.Offering: 2 queued" in out.getvalue() and "classes.Teacher: 0 queued" in out.getvalue()
    assert "studio.Page: 1 queued" in out.getvalue() and "3 photos queued" in out.getvalue()
    for offering in Offering.objects.filter(pk__in=[old_offering.pk, wrongly_unreadable.pk]):
        assert offering.photo_renditions["source"] == offering.photo.name and offering.photo_renditions["sizes"]
    page.refresh_from_db()
    assert all((media / item["name"]).exists() for item in page.image_renditions["sizes"])
    assert Teacher.objects.get(pk=done.pk).photo_renditions == done_copies
    assert not any(renditions.needs_refresh(row, field="photo", renditions="photo_renditions") for row in Offering.objects.all())


def test_refresh_renditions_knows_every_photo_field():
    assert {(item.model, item.field) for item in renditions.kept()} == {
        (Offering, "photo"), (Teacher, "photo"), (Page, "image"), (Post, "cover_image")}


# 3. Two forms open at once; a photo whose file is gone -----------------------------------------------------


def test_a_form_opened_before_her_photo_was_replaced_keeps_the_new_photo(media, django_capture_on_commit_callbacks):
    """Two tabs: in one she uploads a new portrait (the old one is removed); the other, opened before, saves
    her bio. That save does not write the removed photo's name back: the row keeps the new photo and copies."""
    teacher = give_photo(TeacherFactory(), "photo", django_capture_on_commit_callbacks, "oud.jpg")
    old_tab = TeacherProfileForm(instance=Teacher.objects.get(pk=teacher.pk))  # loaded with the old photo
    new = give_photo(teacher, "photo", django_capture_on_commit_callbacks, "nieuw.jpg")
    assert not (media / teacher.photo.name).exists()

    form = TeacherProfileForm(data={"bio_nl": "Uit het oude tabblad.", "bio_en": "", "photo_alt_nl": "Manoek", "photo_alt_en": ""},
                              files={}, instance=old_tab.instance)
    assert form.is_valid(), form.errors
    with django_capture_on_commit_callbacks(execute=True):
        form.save()

    saved = Teacher.objects.get(pk=teacher.pk)
    assert saved.bio_nl == "Uit het oude tabblad."
    assert saved.photo.name == new.photo.name and saved.photo_renditions == new.photo_renditions
    assert files_in(media) == sorted(names_of(new, "photo", "photo_renditions"))  # nothing missing, nothing left over


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_save_loaded_before_the_photo_was_replaced_or_cleared_never_points_at_a_removed_file(
        kind, media, django_capture_on_commit_callbacks):
    make, field, copies = KINDS[kind]
    instance = give_photo(make(), field, django_capture_on_commit_callbacks, "oud.jpg")
    model = type(instance)
    replaced_meanwhile, cleared_meanwhile = model.objects.get(pk=instance.pk), model.objects.get(pk=instance.pk)
    newer = give_photo(instance, field, django_capture_on_commit_callbacks, "nieuw.jpg")
    with django_capture_on_commit_callbacks(execute=True):
        replaced_meanwhile.save()
    assert getattr(model.objects.get(pk=instance.pk), field).name == getattr(newer, field).name
    assert files_in(media) == sorted(names_of(newer, field, copies))

    setattr(newer, field, None)  # now she removes the photo in another tab
    with django_capture_on_commit_callbacks(execute=True):
        newer.save()
    with django_capture_on_commit_callbacks(execute=True):
        cleared_meanwhile.save()
    row = model.objects.get(pk=instance.pk)
    assert not getattr(row, field) and getattr(row, copies) == {} and files_in(media) == []


def test_a_save_while_the_storage_is_unreachable_changes_nothing_about_the_photo(media, settings, django_capture_on_commit_callbacks):
    """A photo that only seems gone (MEDIA_ROOT not mounted) is no reason to clear or remove anything."""
    teacher = give_photo(TeacherFactory(), "photo", django_capture_on_commit_callbacks)
    before = files_in(media)
    settings.MEDIA_ROOT = media.parent / "niet-aangekoppeld"
    teacher.bio_nl = "Anders."
    with django_capture_on_commit_callbacks(execute=True):
        teacher.save()
    settings.MEDIA_ROOT = media
    saved = Teacher.objects.get(pk=teacher.pk)
    assert saved.photo.name == teacher.photo.name and saved.photo_renditions == teacher.photo_renditions
    assert files_in(media) == before


def test_a_photo_whose_file_is_gone_is_recorded_without_copies_and_not_queued_again(media, monkeypatch, caplog):
    default_storage.save("teachers/een-ander.jpg", ContentFile(jpeg_bytes()))  # the folder is there, answering
    teacher = TeacherFactory()
    Teacher.objects.filter(pk=teacher.pk).update(photo="teachers/weg.jpg")  # its file removed by hand, say
    tries = []
    real = images.make_renditions
    monkeypatch.setattr(images, "make_renditions", lambda *args, **kwargs: tries.append(1) or real(*args, **kwargs))

    renditions.refresh.delay(Teacher._meta.label, teacher.pk, "photo", "photo_renditions")  # no Retry: nothing to wait for

    assert len(tries) == 1 and "teachers/weg.jpg is not in storage" in caplog.text
    teacher = Teacher.objects.get(pk=teacher.pk)
    assert teacher.photo_renditions == {"source": "teachers/weg.jpg", "sizes": []}
    assert not renditions.needs_refresh(teacher, field="photo", renditions="photo_renditions")
    out = io.StringIO()
    call_command("refresh_renditions", stdout=out)
    assert "classes.Teacher: 0 queued" in out.getvalue() and len(tries) == 1

    default_storage.save("teachers/weg.jpg", ContentFile(jpeg_bytes()))  # the file is back: the sweep makes its copies
    assert renditions.needs_refresh(teacher, field="photo", renditions="photo_renditions")
    call_command("refresh_renditions", stdout=io.StringIO())
    assert [size["width"] for size in Teacher.objects.get(pk=teacher.pk).photo_renditions["sizes"]] == [480, 960, 1200]


def test_copies_are_made_and_removed_in_the_photo_fields_own_storage(media, tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    elsewhere = tmp_path / "elders"
    monkeypatch.setattr(Teacher._meta.get_field("photo"), "storage", FileSystemStorage(location=elsewhere))
    first = give_photo(TeacherFactory(), "photo", django_capture_on_commit_callbacks, "eerste.jpg")
    second = give_photo(first, "photo", django_capture_on_commit_callbacks, "tweede.jpg")
    assert files_in(elsewhere) == sorted(names_of(second, "photo", "photo_renditions")) and files_in(media) == []

    # Copies made for a photo the row no longer holds (replaced while they were being made) are removed again, there.
    stale = Teacher.objects.get(pk=second.pk)
    stale.photo = stale.photo.storage.save("teachers/derde.jpg", ContentFile(jpeg_bytes()))
    renditions.refresh_now(stale, field="photo", renditions="photo_renditions")
    assert files_in(elsewhere) == sorted([*names_of(second, "photo", "photo_renditions"), "teachers/derde.jpg"])


# 5. JPEG, PNG or WebP, and the forms say so ---------------------------------------------------------------


def gif():
    buffer = io.BytesIO()
    Image.new("P", (40, 40)).save(buffer, "GIF")
    return SimpleUploadedFile("bewegend.gif", buffer.getvalue(), content_type="image/gif")


def test_a_gif_is_refused_with_the_message_that_names_the_formats(media):
    teacher = TeacherFactory()
    form = TeacherProfileForm(data={"bio_nl": "x", "photo_alt_nl": "Manoek"}, files={"photo": gif()}, instance=teacher)
    assert not form.is_valid()
    assert form.errors["photo"] == [NOT_AN_IMAGE]
    assert files_in(media) == []


@pytest.mark.parametrize("form_class", [TeacherForm, TeacherProfileForm, TeachingOfferingForm, PageForm, DeskPageForm])
def test_every_photo_field_accepts_what_the_message_says(form_class):
    instance = {PageForm: Page, DeskPageForm: Page, TeachingOfferingForm: Offering}.get(form_class, Teacher)()
    form = form_class(instance=instance)
    field = form.fields.get("photo") or form.fields["image"]
    assert field.widget.attrs["accept"] == "image/jpeg,image/png,image/webp" == images.ACCEPT
