"""Staff sessions are short: they end when the browser closes and after STAFF_SESSION_IDLE_MINUTES without a request.

Staff can read and export personal data; a session left open on a shared office computer (allauth's default keeps a
login for SESSION_COOKIE_AGE, two weeks) is a way in. Participants' sessions are left as they are: they only see their
own registrations. The idle clock lives in the session (a timestamp, written at most once a minute).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout

LAST_SEEN_KEY = "_staff_last_seen"
WRITE_EVERY_SECONDS = 60


class StaffSessionMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - last_seen > settings.STAFF_SESSION_IDLE_MINUTES * 60:
                logout(request)  # the request goes on anonymously: the admin asks for a new login
            else:
                if not request.session.get_expire_at_browser_close():
                    request.session.set_expiry(0)  # a session cookie: gone when the browser closes
                if last_seen is None or now - last_seen >= WRITE_EVERY_SECONDS:
                    request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)
