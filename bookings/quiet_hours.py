"""Quiet hours: the studio's nights (a rule on `BookingPolicy`, 22:00–08:00 by default, in Breda's
wall-clock time). A message the client did not ask for (a waitlist offer, a reminder, the teacher's
note to a class, a class moved or cancelled by the studio, a card about to expire) is not sent in
quiet hours: it is kept (`QueuedMessage`) and goes out when they end, in the order it was due. It goes
at once when it is about something that starts before they end (a moved 07:00 class). What she
asked for herself (a receipt, a confirmation, a login code) is not routed through here at all.

Time that has to be "awake time" (how long a waitlist offer holds, a free-cancel period) counts only
outside quiet hours: `QuietHours.awake_after`.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from celery import current_app
from django.db import transaction
from django.utils import timezone

from .models import BookingPolicy, QueuedMessage

logger = logging.getLogger(__name__)

REMINDER_LEAD = timedelta(minutes=30)  # a reminder due in the night goes this long before quiet hours begin
JOB_SLACK = timedelta(minutes=10)  # the reminder job runs every 5 minutes: one due just before the night counts as a night one
KEEP_SENT = timedelta(days=30)  # sent messages are kept this long, then removed
BATCH = 500


@dataclass(frozen=True)
class QuietHours:
    start: time
    end: time
    tz: tzinfo

    @classmethod
    def of(cls, policy: BookingPolicy | None = None) -> "QuietHours":
        policy = policy or BookingPolicy.current()
        return cls(policy.quiet_from, policy.quiet_until, timezone.get_default_timezone())

    @property
    def is_set(self) -> bool:
        return self.start != self.end

    def _period(self, day: date) -> tuple[datetime, datetime]:
        """The quiet period that begins on `day` (wall-clock; it may end the next day), in UTC: Python
        adds and subtracts times of one zone by the wall clock, which is an hour off on a night the clocks change."""
        end_day = day + timedelta(days=1) if self.end <= self.start else day
        return (datetime.combine(day, self.start, tzinfo=self.tz).astimezone(UTC),
                datetime.combine(end_day, self.end, tzinfo=self.tz).astimezone(UTC))

    def period_around(self, moment: datetime) -> tuple[datetime, datetime] | None:
        """(begin, end) of the quiet period holding `moment`, or None when it is outside quiet hours."""
        if not self.is_set:
            return None
        day = moment.astimezone(self.tz).date()
        for begins_on in (day - timedelta(days=1), day):
            begin, end = self._period(begins_on)
            if begin <= moment < end:
                return begin, end
        return None

    def contains(self, moment: datetime) -> bool:
        return self.period_around(moment) is not None

    def awake_from(self, moment: datetime) -> datetime:
        """`moment` itself, or the end of the quiet hours it falls in."""
        period = self.period_around(moment)
        return period[1] if period else moment

    def _next_begin(self, moment: datetime) -> datetime:
        day = moment.astimezone(self.tz).date()
        return next(begin for begin, _end in (self._period(day), self._period(day + timedelta(days=1))) if begin > moment)

    def awake_after(self, start: datetime, duration: timedelta) -> datetime:
        """The moment when `duration` of time outside quiet hours has passed since `start`: 120 minutes
        from 23:30 is 10:00 the next morning when quiet hours are 22:00–08:00."""
        start = start.astimezone(UTC)
        if not self.is_set:
            return start + duration
        moment, left = self.awake_from(start), duration
        while True:
            pause = self._next_begin(moment)
            if moment + left <= pause:
                return moment + left
            left -= pause - moment
            moment = self.awake_from(pause)

    def send_at(self, now: datetime, about: datetime | None = None) -> datetime:
        """When a message she did not ask for may go: now, outside quiet hours; else when they end,
        unless it is about something that starts before then (then it goes now)."""
        period = self.period_around(now)
        if period is None or (about is not None and about <= period[1]):
            return now
        return period[1]

    def before(self, moment: datetime) -> datetime:
        """`moment`, or when that falls in quiet hours (or just before them, too late for the job), a
        little before they begin (the evening before)."""
        period = self.period_around(moment) or self.period_around(moment + JOB_SLACK)
        return period[0] - REMINDER_LEAD if period else moment

    def may_send(self, now: datetime, about: datetime | None = None) -> bool:
        return self.send_at(now, about) <= now

    @property
    def reach(self) -> timedelta:
        """How much earlier than planned a reminder can go (brought forward over a night)."""
        return timedelta(days=1) + REMINDER_LEAD + JOB_SLACK if self.is_set else timedelta(0)

    def reminder_due(self, starts_at: datetime, *, now: datetime, hours: int) -> bool:
        """Is a reminder `hours` before `starts_at` due at `now`? Its moment, brought forward to the
        evening before when it falls in quiet hours, has come, and now is not quiet (unless the session
        starts before they end)."""
        return self.before(starts_at - timedelta(hours=hours)) <= now and self.may_send(now, starts_at)

    def reminders_due(self, starts, *, now: datetime, hours: int) -> list[datetime]:
        return [start for start in set(starts) if self.reminder_due(start, now=now, hours=hours)]


def send_considerately(task, *args, now: datetime | None = None, about: datetime | None = None, policy=None) -> None:
    """Send a message the client did not ask for (a Celery mail task and its arguments) once the current
    transaction commits: at once, or kept until quiet hours end. `about`: when what it is about starts."""
    now = now or timezone.now()
    when = QuietHours.of(policy).send_at(now, about)
    if when <= now:
        task.delay_on_commit(*args)
    else:
        QueuedMessage.objects.create(task=task.name, args=list(args), send_after=when, created_at=now)


def kept_withdraw(task, *args) -> int:
    """Take back a kept message that has not gone yet (what it says is no longer true). Returns how many."""
    deleted, _by_model = QueuedMessage.objects.filter(sent_at__isnull=True, task=task.name, args=list(args)).delete()
    return deleted


def queued_messages_send(*, now: datetime) -> int:
    """Hand the kept messages that are due to the worker, in the order they were due (every minute).
    Safe to run twice at once: rows are claimed with SKIP LOCKED. A row is marked sent only once the
    broker took its task (a failed hand-over leaves it for the next run: at least once, and the mail
    tasks check before they send). Sent rows older than a month are removed."""
    handed = 0
    QueuedMessage.objects.filter(sent_at__lt=now - KEEP_SENT).delete()
    while True:
        with transaction.atomic():
            due = list(QueuedMessage.objects.select_for_update(skip_locked=True)
                       .filter(sent_at__isnull=True, send_after__lte=now).order_by("send_after", "pk")[:BATCH])
            if not due:
                return handed
            for message in due:
                task = current_app.tasks.get(message.task)
                if task is None:
                    logger.error("Queued message %s names an unknown task %r; dropped.", message.pk, message.task)
                    continue
                task.delay(*message.args)
            QueuedMessage.objects.filter(pk__in=[m.pk for m in due]).update(sent_at=now)
            handed += len(due)
