"""The client's privacy rights: my data (page and JSON file) and closing the account.
Included at the i18n root: path("", include("studio.privacy_urls"))."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import privacy_views

app_name = "privacy"
urlpatterns = [
    path(_("my-data/"), privacy_views.overview, name="overview"),
    path(_("my-data/download/"), privacy_views.download, name="download"),
    path(_("my-data/close-account/"), privacy_views.delete_account, name="delete_account"),
    path(_("my-data/account-closed/"), privacy_views.deleted, name="deleted"),
]
