from django.urls import path

from .views import gallery, organize, sheet

app_name = "submissions"

team = "<slug:slug>/teams/<int:team_id>/"

urlpatterns = [
    path("", gallery.gallery_index, name="gallery_index"),
    path("<slug:slug>/", gallery.gallery, name="gallery"),
    path("<slug:slug>/showcases.json", gallery.edition_showcases, name="edition_showcases"),
    path("<slug:slug>/mine/", sheet.my_sheet, name="my_sheet"),
    path(team, gallery.project_detail, name="project"),
    path(f"{team}showcase.json", gallery.showcase_export, name="showcase"),
    path(f"{team}sheet/", sheet.team_sheet, name="team_sheet"),
    path(f"{team}sheet/datasets/", sheet.add_dataset, name="add_dataset"),
    path(
        f"{team}sheet/datasets/<int:link_id>/remove/",
        sheet.remove_dataset,
        name="remove_dataset",
    ),
    path(f"{team}sheet/logo/", sheet.upload_logo, name="upload_logo"),
    path(f"{team}sheet/logo/remove/", sheet.delete_logo, name="delete_logo"),
    path(f"{team}sheet/screenshots/", sheet.upload_screenshot, name="upload_screenshot"),
    path(
        f"{team}sheet/screenshots/<int:screenshot_id>/remove/",
        sheet.delete_screenshot,
        name="delete_screenshot",
    ),
    path(f"{team}sheet/preview/", sheet.preview, name="preview"),
    path(f"{team}submit/", sheet.submit, name="submit"),
    path(f"{team}history/", sheet.history, name="history"),
    path(f"{team}history/compare/", sheet.compare_versions, name="compare"),
    path(f"{team}history/<int:number>/", sheet.version_detail, name="version"),
    path(
        "<slug:slug>/organize/eligibility/",
        organize.EligibilityReportView.as_view(),
        name="eligibility",
    ),
    path(f"{team}reopen/", organize.ReopenView.as_view(), name="reopen"),
    path(f"{team}disqualify/", organize.DisqualifyView.as_view(), name="disqualify"),
]
