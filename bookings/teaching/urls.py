"""The back office's pages, namespace "teaching"; each part lists its own paths.
Included at the i18n root: path("", include("bookings.teaching.urls"))."""

from . import availability_urls, client_urls, profile_urls, session_urls, timetable_urls

app_name = "teaching"
urlpatterns = [
    *timetable_urls.urlpatterns,
    *session_urls.urlpatterns,
    *availability_urls.urlpatterns,
    *client_urls.urlpatterns,
    *profile_urls.urlpatterns,
]
