"""Views of the incidents app, one module per concern: thin; access through accounts.permissions, writes through incidents.services."""

from incidents.views.handling import (
    add_information,
    add_note,
    ap_notification,
    ap_notification_correct,
    ap_notification_pdf,
    assess,
    attachment,
    close,
    detail,
    handle,
    involve_ambassador,
    lesson_to_topic,
    letter_download,
    queue,
    reopen,
    subjects,
    subjects_correct,
)
from incidents.views.register import register, register_report, statistics
from incidents.views.reporting import my_reports, report_create, report_received

__all__ = [
    "report_create",
    "report_received",
    "my_reports",
    "queue",
    "detail",
    "handle",
    "add_note",
    "assess",
    "ap_notification",
    "ap_notification_correct",
    "subjects_correct",
    "reopen",
    "add_information",
    "involve_ambassador",
    "ap_notification_pdf",
    "subjects",
    "letter_download",
    "close",
    "lesson_to_topic",
    "attachment",
    "register",
    "register_report",
    "statistics",
]
