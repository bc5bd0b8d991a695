"""Sessions in the database and the shared cache (Django's cached_db), kept through a database restart.

Django saves a changed session after the view has run, when the view's work is already committed. If PostgreSQL
went away in between, cached_db's save would turn a stored submission into an error page that says nothing was
stored. Here the cache (which cached_db reads first) keeps the session meanwhile; the next save after the
database is back writes it there too.
"""

from __future__ import annotations

import logging

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDbSessionStore
from django.db import InterfaceError, OperationalError

logger = logging.getLogger(__name__)


class SessionStore(CachedDbSessionStore):
    def save(self, must_create: bool = False) -> None:
        try:
            super().save(must_create)
        except UpdateError as error:
            # Django's db store turns every failed update into UpdateError: a row deleted meanwhile (a sign-out
            # elsewhere; Django then interrupts the session, rightly) or a connection that failed (kept here).
            # A new session (a sign-in) is never kept this way: it needs its row, and the sign-in fails whole.
            if not isinstance(error.__context__, OperationalError | InterfaceError):
                raise
            logger.warning("session kept in the cache only: the database could not be reached")
            self._cache.set(self.cache_key, self._session, self.get_expiry_age())
