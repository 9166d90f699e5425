"""What every studio email shares: the recipient's language and Breda's clock, one frame around the
text (templates/bookings/email/), absolute links, Markdown and calendar attachments. The
purposes write their own messages with these pieces."""

import re
from contextlib import contextmanager
from email.mime.text import MIMEText
from functools import lru_cache
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from classes.models import STUDIO_TZ
from core.markup import render_markdown

TEMPLATE_DIR = "bookings/email"
# How every mail task retries: after the worker has it (acks_late), on a mail server that fails, with backoff.
MAIL_RETRY = {"acks_late": True, "autoretry_for": (SMTPException, OSError), "retry_backoff": True, "max_retries": 5}


@contextmanager
def speaking(person):
    """The person's language and Breda's clock, for texts, dates and links alike."""
    language = person.language if person.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    with translation.override(language), timezone.override(STUDIO_TZ):
        yield


def compose(name: str, person, context: dict) -> EmailMultiAlternatives:
    """Render `<name>.txt` (its first line is the subject) and `<name>.html` in the person's
    language, and wrap them in one message from the studio, replies going to the studio."""
    with speaking(person):
        context = {"client": person, "studio": settings.STUDIO,
                   "my_bookings_url": absolute(reverse("bookings:my_bookings")), **context}
        rendered = render_to_string(f"{TEMPLATE_DIR}/{name}.txt", context)
        subject, _newline, body = rendered.strip().partition("\n")
        context["subject"] = subject = subject.strip()
        html = render_to_string(f"{TEMPLATE_DIR}/{name}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=tidy_text(body), from_email=settings.DEFAULT_FROM_EMAIL,
                                     to=[person.email], reply_to=[settings.STUDIO_EMAIL])
    message.attach_alternative(html, "text/html")
    return message


def calendar_part(data: bytes, filename: str) -> MIMEText:
    """An .ics file to attach, so mail apps offer to put it in the calendar."""
    part = MIMEText(data.decode(), "calendar", "utf-8")
    part.set_param("method", "PUBLISH")
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part


def absolute(path: str) -> str:
    return settings.SITE_URL + path


@lru_cache(maxsize=128)
def markdown_html(text: str) -> str:
    """The few offerings' texts, rendered once for thousands of reminders."""
    return render_markdown(text)


def tidy_text(text: str) -> str:
    """Template tags leave trailing spaces and runs of blank lines; plain text reads better without."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"
