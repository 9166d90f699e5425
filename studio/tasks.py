import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage

logger = logging.getLogger(__name__)


@shared_task(name="studio.tasks.ping")
def ping(message="pong"):
    """Proves a worker is listening: `python manage.py shell -c "from studio.tasks import ping; ping.delay()"`."""
    logger.info("ping task ran: %s", message)
    return message


@shared_task(name="studio.tasks.send_contact_message", acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_contact_message(name, email, message):
    """Forward a message from the contact form to the studio, with Reply-To set to the sender."""
    EmailMessage(
        subject=f"Contactformulier: {name}",
        body=f"{name} <{email}> schreef:\n\n{message}\n",
        to=[settings.STUDIO_EMAIL],
        reply_to=[email],
    ).send()
