from django.urls import path

from projects import views

app_name = "projects"

urlpatterns = [
    path("progetti/", views.project_list, name="list"),
    # Before <slug>/ so that "export.csv" is never read as a project slug.
    path("progetti/export.csv", views.export_csv, name="export_csv"),
    path("progetti/export.json", views.export_json, name="export_json"),
    path("progetti/<slug:slug>/", views.ProjectDetailView.as_view(), name="detail"),
    path("servizi/", views.ServiceListView.as_view(), name="service_list"),
    path("servizi/<slug:slug>/", views.ServiceDetailView.as_view(), name="service_detail"),
]
