from django.urls import path

# The "token" path converter is registered by the registrations URLconf; importing it makes sure it exists here.
from registrations import urls as _registrations_urls  # noqa: F401

from . import views

app_name = "pdf"

urlpatterns = [
    path("laboratori/<slug:slug>/programma.pdf", views.lab_programme, name="lab_programme"),
    path("progetti/catalogo.pdf", views.catalogue_pdf, name="catalogue"),
    path("pdf/incontri/<int:pk>/foglio-firme.pdf", views.signin_sheet, name="signin_sheet"),
    path("pdf/iscrizioni/<int:pk>/attestato.pdf", views.certificate, name="certificate"),
    path("pdf/iscrizioni/<int:pk>/attestato-incontro.pdf", views.meeting_certificate, name="meeting_certificate"),
    path(
        "iscrizioni/<token:token>/attestato.pdf",
        views.participant_meeting_certificate,
        name="participant_meeting_certificate",
    ),
    path(
        "iscrizioni/<token:token>/attestato-laboratorio.pdf",
        views.participant_lab_certificate,
        name="participant_lab_certificate",
    ),
]
