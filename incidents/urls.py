from django.urls import path

from incidents import views

app_name = "incidents"

urlpatterns = [
    path("melden/", views.report_create, name="report"),
    path("mijn-meldingen/", views.my_reports, name="mine"),
    path("mijn-afdelingen/", views.department_reports, name="departments"),
    path("behandelen/", views.queue, name="queue"),
    path("register/", views.register, name="register"),
    path("register/rapport.pdf", views.register_report, name="register_report"),
    path("statistieken/", views.statistics, name="statistics"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/ontvangen/", views.report_received, name="received"),
    path("<int:pk>/behandeling/", views.handle, name="handle"),
    path("<int:pk>/notitie/", views.add_note, name="note"),
    path("<int:pk>/beoordeling/", views.assess, name="assess"),
    path("<int:pk>/melding-ap/", views.ap_notification, name="ap_notification"),
    path("<int:pk>/melding-ap.pdf", views.ap_notification_pdf, name="ap_notification_pdf"),
    path(
        "<int:pk>/melding-ap/<int:notification_pk>/corrigeren/",
        views.ap_notification_correct,
        name="ap_notification_correct",
    ),
    path("<int:pk>/betrokkenen/<int:record_pk>/corrigeren/", views.subjects_correct, name="subjects_correct"),
    path("<int:pk>/brief.docx", views.letter_download, {"fmt": "docx"}, name="letter_docx"),
    path("<int:pk>/brief.pdf", views.letter_download, {"fmt": "pdf"}, name="letter_pdf"),
    path("<int:pk>/heropenen/", views.reopen, name="reopen"),
    path("<int:pk>/aanvullen/", views.add_information, name="add_information"),
    path("<int:pk>/ambassadeur/", views.involve_ambassador, name="involve_ambassador"),
    path("<int:pk>/betrokkenen/", views.subjects, name="subjects"),
    path("<int:pk>/afsluiten/", views.close, name="close"),
    path("<int:pk>/geen-datalek/", views.no_leak, name="no_leak"),
    path("<int:pk>/onderwerp/", views.lesson_to_topic, name="lesson_to_topic"),
    path("<int:pk>/bijlagen/<int:attachment_pk>/", views.attachment, name="attachment"),
]
