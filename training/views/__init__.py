"""Views of the training app, one module per concern: thin; access through accounts.permissions, writes through training.services."""

from training.views.attendance import attendance, attendance_list, progress, progress_remind
from training.views.curriculum import module_detail, module_form, module_list, session_form, session_list
from training.views.participation import (
    certificate,
    enrolment_invite,
    enrolment_remove,
    feed,
    feed_rotate,
    material_delete,
    material_download,
    mine,
    offer,
    session_call_off,
    session_cancel,
    session_colleague_search,
    session_detail,
    session_enrol,
    session_enrol_colleague,
)

__all__ = [
    "offer",
    "mine",
    "session_detail",
    "session_colleague_search",
    "session_enrol_colleague",
    "enrolment_remove",
    "session_call_off",
    "session_enrol",
    "session_cancel",
    "enrolment_invite",
    "certificate",
    "feed",
    "feed_rotate",
    "material_download",
    "material_delete",
    "module_list",
    "module_form",
    "module_detail",
    "session_form",
    "session_list",
    "attendance",
    "attendance_list",
    "progress",
    "progress_remind",
]
