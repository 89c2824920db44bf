from django.urls import path

from headwater.quality.views import imports, limits, reports, review, setup, work

app_name = "quality"

urlpatterns = [
    path("tasks/", work.tasks, name="tasks"),
    path("tasks/<int:task_id>/", work.task, name="task"),
    path("samples/new/", work.new_sample, name="new_sample"),
    path("samples/<int:sample_id>/", review.sample, name="sample"),
    path("review/", review.queue, name="review"),
    path("import/", imports.import_results, name="import"),
    path("import/template.<str:fmt>", imports.template, name="import_template"),
    path("report/", reports.report, name="report"),
    path("report/export.<str:fmt>", reports.export, name="report_export"),
    path("trend/", reports.trend, name="trend"),
    path("setup/", setup.setup, name="setup"),
    path("points/new/", setup.PointEdit.as_view(), name="point_new"),
    path("points/<int:point_id>/", setup.PointEdit.as_view(), name="point_edit"),
    path("plans/new/", setup.PlanEdit.as_view(), name="plan_new"),
    path("plans/<int:plan_id>/", setup.PlanEdit.as_view(), name="plan_edit"),
    path("limits/", limits.limits, name="limits"),
    path("relaxations/<int:relaxation_id>/decide/", limits.decide, name="relaxation_decide"),
]
