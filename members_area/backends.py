"""Log in with an e-mail address instead of a username, or with a code sent by e-mail.

Matches the address case-insensitively; when no (or more than one) account has it, a password
is still hashed so that the answer takes as long as for a real member (no user enumeration by
timing), like Django's ModelBackend does. A member's session names one of these backends, whose
``get_user`` loads the user with what every page asks of them (``cms.accounts.session_user``).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from cms.accounts.session_user import SessionUserMixin

from .models import LoginCode


class EmailBackend(SessionUserMixin, ModelBackend):
    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        address = (email or username or "").strip()
        if not address or password is None:
            return None
        user_model = get_user_model()
        users = list(user_model._default_manager.filter(email__iexact=address)[:2])
        if len(users) != 1:
            user_model().set_password(password)
            return None
        user = users[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


class LoginCodeBackend(SessionUserMixin, ModelBackend):
    """``authenticate(request, email=..., login_code=...)`` with a code from ``LoginCode.issue``.

    A backend (not a check in the view) so that wrong codes go through django-axes like wrong
    passwords do. https://docs.djangoproject.com/en/5.2/topics/auth/customizing/#writing-an-authentication-backend
    """

    def authenticate(self, request, email=None, login_code=None, **kwargs):
        if not email or not login_code:
            return None
        users = list(
            get_user_model()._default_manager.filter(email__iexact=email.strip(), is_active=True)[
                :2
            ]
        )
        if len(users) != 1 or not self.user_can_authenticate(users[0]):
            return None
        return users[0] if LoginCode.verify(users[0], login_code) else None
