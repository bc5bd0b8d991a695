"""Writes of the incidents app, one module per concern: ``intake`` (the report and what the reporter adds),
``handling`` (assessment, decisions, closing), ``notifications`` (the AP and the data subjects), ``letters``,
``alerts`` (mails), ``retention`` and ``common`` (access log, timeline, status). Each function is one transaction
and records its own timeline entry and access-log line.

The views, tasks and the API call them as ``services.<name>``: this package is that one surface, so a view never
needs to know which module a write lives in.
"""

from incidents.services.alerts import dataleak_send_mail
from incidents.services.common import access_record
from incidents.services.handling import (
    ASSESSMENT_FIELDS,
    dataleak_add_note,
    dataleak_assess,
    dataleak_assign,
    dataleak_close,
    dataleak_involve_ambassador,
    dataleak_lesson_to_topic,
    dataleak_mark_no_leak,
    dataleak_reopen,
    dataleak_set_aware_at,
    dataleak_start_assessment,
)
from incidents.services.intake import allocate_reference, dataleak_add_information, dataleak_report
from incidents.services.letters import dataleak_letter_sent, dataleak_save_letter
from incidents.services.notifications import (
    dataleak_correct_ap_notification,
    dataleak_correct_subject_notification,
    dataleak_record_ap_notification,
    dataleak_record_subject_notification,
)
from incidents.services.retention import dataleak_purge_details

__all__ = [
    "ASSESSMENT_FIELDS",
    "access_record",
    "allocate_reference",
    "dataleak_add_information",
    "dataleak_add_note",
    "dataleak_assess",
    "dataleak_assign",
    "dataleak_close",
    "dataleak_correct_ap_notification",
    "dataleak_correct_subject_notification",
    "dataleak_involve_ambassador",
    "dataleak_lesson_to_topic",
    "dataleak_letter_sent",
    "dataleak_mark_no_leak",
    "dataleak_purge_details",
    "dataleak_record_ap_notification",
    "dataleak_record_subject_notification",
    "dataleak_reopen",
    "dataleak_report",
    "dataleak_save_letter",
    "dataleak_send_mail",
    "dataleak_set_aware_at",
    "dataleak_start_assessment",
]
