"""The set-password link of the welcome e-mail: valid 7 days, once.

Django's password-reset tokens, with their own salt (a reset link is no welcome link and the other
way round) and a longer life than ``PASSWORD_RESET_TIMEOUT`` (3 days): a new member who reads
e-mail once a week still gets in. Like a reset link it stops working as soon as the password is
set, because the token covers the password hash.
https://docs.djangoproject.com/en/5.2/topics/auth/default/#django.contrib.auth.views.PasswordResetConfirmView
"""

from datetime import timedelta

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

WELCOME_LINK_VALID_FOR = timedelta(days=7)


class WelcomeTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "members_area.membership.tokens.WelcomeTokenGenerator"

    def check_token(self, user, token):
        if not (user and token):
            return False
        try:
            timestamp_b36, _hash = token.split("-")
            timestamp = base36_to_int(timestamp_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        age = self._num_seconds(self._now()) - timestamp
        return 0 <= age <= WELCOME_LINK_VALID_FOR.total_seconds()


welcome_token_generator = WelcomeTokenGenerator()
