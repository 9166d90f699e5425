"""Uploaded images: checked, re-encoded without their metadata, and resized renditions.

Any app with an image upload uses this: the form calls :func:`clean_upload`
(a clear message for a file that is too big, not an image or damaged; what is
kept is a fresh encoding of the pixels, so no EXIF location or hidden payload
survives), and the model keeps the names that :func:`make_renditions` returns
for ``srcset``.
"""

import io
import logging
import uuid
import warnings
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError, features

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel camera; beyond that it is a mistake or a trap
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}  # what the message says, and the forms' `accept`:
ACCEPT = ",".join(f"image/{fmt.lower()}" for fmt in sorted(ACCEPTED_FORMATS))  # image/jpeg,image/png,image/webp
RENDITION_WIDTHS = (480, 960, 1440)
RENDITION_FORMAT = "WEBP" if features.check("webp") else "JPEG"
_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)


def _open_checked(data: bytes, *, max_pixels: int) -> Image.Image:
    """Open and fully decode an image, or raise a ValidationError saying what is wrong."""
    not_an_image = ValidationError(
        _("This file is not an image we can use. Upload a photo in JPEG, PNG or WebP format."), code="not_an_image"
    )
    try:
        image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, ValueError):
        raise not_an_image from None
    if image.format not in ACCEPTED_FORMATS:
        raise not_an_image
    width, height = image.size
    if width * height > max_pixels:
        raise ValidationError(
            _("This image is %(width)s × %(height)s pixels, too large to process. Make it smaller (at most %(megapixels)s megapixels) and try again."),
            code="too_many_pixels",
            params={"width": width, "height": height, "megapixels": max_pixels // 1_000_000},
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ValidationError(_("This image is damaged and cannot be read. Export it again and try once more."), code="damaged") from None
    return image


def _encode(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(buffer, "JPEG", quality=88, optimize=True, progressive=True)
    elif fmt == "PNG":
        image.save(buffer, "PNG", optimize=True)
    else:
        image.save(buffer, fmt, quality=82, method=4)
    return buffer.getvalue()


def clean_upload(uploaded, *, max_bytes: int | None = None, max_pixels: int | None = None) -> ContentFile:
    """Check an uploaded image and return it re-encoded (JPEG, or PNG when it has transparency).

    Raises ValidationError with a message for the person uploading. The limits
    default to MAX_UPLOAD_BYTES and MAX_PIXELS.
    """
    max_bytes = max_bytes or MAX_UPLOAD_BYTES
    max_pixels = max_pixels or MAX_PIXELS
    size = getattr(uploaded, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            _("This image is %(size)s; the largest we accept is %(max)s. Save it smaller and try again."),
            code="too_big",
            params={"size": filesizeformat(size), "max": filesizeformat(max_bytes)},
        )
    uploaded.seek(0)
    data = uploaded.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(
            _("This image is larger than %(max)s. Save it smaller and try again."), code="too_big", params={"max": filesizeformat(max_bytes)}
        )
    image = _open_checked(data, max_pixels=max_pixels)
    image = ImageOps.exif_transpose(image)  # turn it the way the camera meant; the EXIF itself is dropped
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if _has_alpha(image) else "RGB")
    fmt = "PNG" if _has_alpha(image) else "JPEG"
    # The uploaded name is never used: a random one, so nothing about the file can be guessed or forced.
    return ContentFile(_encode(image, fmt), name=f"{uuid.uuid4().hex}.{_EXTENSIONS[fmt]}")


class UnreadableImage(Exception):
    """A stored file whose pixels Pillow cannot decode (not an image, damaged, a decompression bomb).
    Nothing to try again: only another upload helps. Storage errors (an OSError while reading or writing
    the files) are not this; they propagate, so the task that met them is tried again."""


# What Pillow raises for a file it cannot decode: an unknown format (UnidentifiedImageError, an OSError),
# a truncated or broken stream (OSError, SyntaxError, ValueError), too many pixels. The bytes are read
# into memory first, so an OSError here is never the storage's.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning)


def _decode_stored(data: bytes, name: str) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            image.load()
            return ImageOps.exif_transpose(image)
    except _DECODE_ERRORS as error:
        raise UnreadableImage(f"{name}: {error}") from error


def make_renditions(name: str, *, storage=default_storage, widths=RENDITION_WIDTHS) -> list[dict]:
    """Resized copies of a stored image, for ``srcset``: ``[{"width", "height", "name"}, ...]``.

    Widths wider than the original are left out; the original's own width is
    added instead, so there is always at least one rendition. Raises
    :class:`UnreadableImage` when the stored file cannot be decoded; a storage
    error (OSError) while reading or writing propagates. Either way no copy made
    so far is left behind.
    """
    with storage.open(name, "rb") as source:
        data = source.read()
    image = _decode_stored(data, name)
    fmt = RENDITION_FORMAT
    if fmt == "JPEG" or not _has_alpha(image):
        image = image.convert("RGB")
    else:
        image = image.convert("RGBA")
    path = PurePosixPath(name)
    wanted = sorted({width for width in widths if width < image.width} | {min(image.width, max(widths))})
    renditions = []
    try:
        for width in wanted:
            height = max(1, round(image.height * width / image.width))
            resized = image if width == image.width else image.resize((width, height), Image.Resampling.LANCZOS)
            target = str(path.parent / "renditions" / f"{path.stem}-{width}w.{_EXTENSIONS[fmt]}")
            if storage.exists(target):
                storage.delete(target)
            saved = storage.save(target, ContentFile(_encode(resized, fmt)))
            renditions.append({"width": width, "height": height, "name": saved})
    except BaseException:
        delete_files([item["name"] for item in renditions], storage=storage)  # no half-made set left on disk
        raise
    return renditions


def delete_files(names, *, storage=default_storage) -> None:
    """Remove stored files (old renditions); a file already gone is fine."""
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("Could not delete %s", name)


PHONE_LARGEST_WIDTH = 960  # a phone's screen (at most 48rem wide) never needs more, even at 3 device pixels a point


def picture(field_file, renditions, *, width=None, height=None) -> dict | None:
    """What an <img> needs for a stored photo, with no query and no file access: ``src``, ``srcset``,
    ``width`` and ``height`` (of the largest rendition, for the aspect ratio), or None without a photo;
    ``phone_srcset``, the copies a phone may choose from, when the largest are only for big screens;
    ``large``, the largest copy (for link previews).

    ``renditions`` is what :func:`core.renditions.refresh` kept for it; until they are made (or when they
    could not be), the original is shown as it is, without srcset, with the ``width`` and ``height`` given
    (the original's, when the model keeps them) or none.
    """
    if not field_file:
        return None
    made = renditions or {}
    sizes = (made.get("sizes") or []) if made.get("source") == field_file.name else []
    if not sizes:
        return {"src": field_file.url, "srcset": "", "phone_srcset": "", "width": width, "height": height, "large": field_file.url}
    storage = field_file.storage
    largest, middle = sizes[-1], sizes[len(sizes) // 2]

    def srcset(items):
        return ", ".join(f"{storage.url(item['name'])} {item['width']}w" for item in items)

    for_phones = [item for item in sizes if item["width"] <= PHONE_LARGEST_WIDTH]
    return {
        "src": storage.url(middle["name"]),
        "srcset": srcset(sizes),
        "phone_srcset": srcset(for_phones) if for_phones and len(for_phones) < len(sizes) else "",
        "width": largest["width"],
        "height": largest["height"],
        "large": storage.url(largest["name"]),
    }
