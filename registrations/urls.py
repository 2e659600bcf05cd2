from django.urls import path, re_path, register_converter

from . import certificate_views, organizations, views
from .converters import TokenConverter

register_converter(TokenConverter, "token")

app_name = "registrations"

urlpatterns = [
    path("incontri/<int:pk>/iscrizione/", views.register, name="register"),
    path("laboratori/<slug:slug>/iscrizione/", views.register_lab, name="register_lab"),
    path("iscrizione/esito/", views.result, name="result"),
    path("iscrizioni/enti/", organizations.suggestions, name="organizations"),
    path("iscrizioni/<token:token>/", views.manage, name="manage"),
    path("iscrizioni/<token:token>/conferma/", views.confirm, name="confirm"),
    path("iscrizioni/<token:token>/annulla/", views.cancel, name="cancel"),
    path("iscrizioni/<token:token>/modalita/", views.switch_mode, name="switch_mode"),
    path("iscrizioni/<token:token>/calendario.ics", views.ics, name="ics"),
    path("le-mie-iscrizioni/", views.mine, name="mine"),
    path("attestati/verifica/", certificate_views.verify, name="certificate_verify"),
    # Letters, digits and hyphens only (a code typed by hand is normalised and redirected); anything else is a 404.
    re_path(r"^attestati/(?P<code>[A-Za-z0-9-]{10,16})/$", certificate_views.detail, name="certificate_detail"),
]
