from django.urls import path

from . import views

app_name = "pdf"

urlpatterns = [
    path("laboratori/<slug:slug>/programma.pdf", views.lab_programme, name="lab_programme"),
    path("progetti/catalogo.pdf", views.catalogue_pdf, name="catalogue"),
    path("pdf/incontri/<int:pk>/foglio-firme.pdf", views.signin_sheet, name="signin_sheet"),
    path("pdf/iscrizioni/<int:pk>/attestato.pdf", views.certificate, name="certificate"),
]
