from django.contrib import admin


class ReadOnlyInline(admin.TabularInline):
    """Rows shown under their parent in the admin, never added, changed or deleted there: history
    and ledgers, which only the services write."""

    extra = 0
    can_delete = False
    max_num = 0

    def has_change_permission(self, request, obj=None):
        return False
