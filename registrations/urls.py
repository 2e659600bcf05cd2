from django.urls import path

from . import views

app_name = "registrations"

urlpatterns = [
    path("incontri/<int:pk>/iscrizione/", views.register, name="register"),
    path("laboratori/<slug:slug>/iscrizione/", views.register_lab, name="register_lab"),
    path("iscrizione/esito/", views.result, name="result"),
    path("iscrizioni/<str:token>/", views.manage, name="manage"),
    path("iscrizioni/<str:token>/conferma/", views.confirm, name="confirm"),
    path("iscrizioni/<str:token>/annulla/", views.cancel, name="cancel"),
    path("iscrizioni/<str:token>/calendario.ics", views.ics, name="ics"),
    path("le-mie-iscrizioni/", views.mine, name="mine"),
]
