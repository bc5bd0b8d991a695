"""Every access rule of the application, in one place.

Roles are facts derived from data (see ``roles``); each domain has a module
of predicates here (``can_view_incident(user, incident)`` and the like).
Views, templates and tests ask these predicates; every list starts from a
``visible_to(user)`` QuerySet method.
"""

from .ambassadors import *  # noqa: F403
from .api import *  # noqa: F403
from .department_programmes import *  # noqa: F403
from .evaluation import *  # noqa: F403
from .evidence import *  # noqa: F403
from .incidents import *  # noqa: F403
from .levels import *  # noqa: F403
from .measurements import *  # noqa: F403
from .organisation import *  # noqa: F403
from .people import *  # noqa: F403
from .programme import *  # noqa: F403
from .roles import (  # noqa: F401
    Roles,
    get_roles,
    is_ambassador,
    is_ciso,
    is_manager,
    is_officer,
    is_privacy_officer,
    requires_mfa,
    same_organisation,
)
from .sign_in import *  # noqa: F403
from .topic_library import *  # noqa: F403
from .training import *  # noqa: F403
