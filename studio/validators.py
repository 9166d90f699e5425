from django.contrib.auth.password_validation import MinimumLengthValidator as DjangoMinimumLengthValidator
from django.utils.translation import gettext as _


class MinimumLengthValidator(DjangoMinimumLengthValidator):
    """Django's length rule, worded in the studio's own (translated) voice."""

    def get_error_message(self):
        return _("This password is too short. Please use at least %(min_length)d characters.") % {"min_length": self.min_length}

    def get_help_text(self):
        return _("At least %(min_length)d characters; a short sentence is easy to remember.") % {"min_length": self.min_length}
