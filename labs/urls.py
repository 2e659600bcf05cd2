from django.urls import path

from . import material_views, views
from .feeds import LabRubricaFeed, LabsFeed

app_name = "labs"

urlpatterns = [
    path("laboratori/", views.LabListView.as_view(), name="list"),
    path("laboratori/feed/", LabsFeed(), name="feed"),
    path("laboratori/<slug:slug>/", views.LabDetailView.as_view(), name="detail"),
    path("laboratori/<slug:slug>/feed/", LabRubricaFeed(), name="rubrica_feed"),
    path("laboratori/<slug:slug>/calendario.ics", views.lab_ics, name="lab_ics"),
    path("incontri/calendario.ics", views.calendar_ics, name="calendar"),
    path("incontri/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("incontri/<int:pk>/calendario.ics", views.meeting_ics, name="meeting_ics"),
    path("incontri/materiali/<int:pk>/", material_views.material_download, name="material_download"),
]
