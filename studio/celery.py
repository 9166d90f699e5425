"""The Celery app: a Redis broker in production and tests, the file system in the demo."""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studio.settings")

app = Celery("studio")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _make_queue_folders(sender, **kwargs):
    for folder in (sender.conf.broker_transport_options or {}).values():
        if isinstance(folder, str) and "/" in folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
