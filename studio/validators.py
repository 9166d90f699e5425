"""Django's password rules, worded in the studio's own (translated) voice: "je", never "uw"."""

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return _("This password is too short. Please use at least %(min_length)d characters.") % {"min_length": self.min_length}

    def get_help_text(self):
        return _("At least %(min_length)d characters; a short sentence is easy to remember.") % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return _("This password looks too much like your name or email address.")

    def get_help_text(self):
        return _("Not too much like your name or email address.")


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self):
        return _("Many people use this password, which makes it easy to guess. Please choose another.")

    def get_help_text(self):
        return _("Not a password many people use.")


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def get_error_message(self):
        return _("This password is only digits. Please add some letters.")

    def get_help_text(self):
        return _("Not only digits.")
