from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    # The registration's token, as on its other pages (registrations/urls.py); a string that is no token is a 404.
    path("iscrizioni/<str:token>/questionario/", views.answer, name="answer"),
]
