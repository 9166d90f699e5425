"""Messages kept until the studio's quiet hours end (bookings/quiet_hours.py sends them)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class QueuedMessage(models.Model):
    """A message the client did not ask for, due in quiet hours: the mail task and its arguments (ids,
    and for a teacher's note to a class its subject and text), kept until `send_after` and then handed
    to the worker in order. Removed a month after it was sent."""

    task = models.CharField(_("message"), max_length=100)
    args = models.JSONField(_("arguments"), default=list)
    send_after = models.DateTimeField(_("send after"))
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("message kept for the morning")
        verbose_name_plural = _("messages kept for the morning")
        ordering = ["send_after", "pk"]
        indexes = [models.Index(fields=["send_after", "id"], condition=Q(sent_at__isnull=True), name="queued_message_due")]

    def __str__(self):
        return f"{self.task} {self.args} @ {self.send_after:%Y-%m-%d %H:%M}"
