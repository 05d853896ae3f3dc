from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from appraisal.views import api as appraisal_api
from appraisal.views.files import evidence_file
from evidence import urls as evidence_urls
from parindex import views as audit_views
from reports import public

# The unit's download URL is served by the one evidence file view, with the one access rule
# (appraisal's: it needs the appraisers' assignments, which evidence may not import).
evidence_patterns = [
    *evidence_urls.urlpatterns,
    path("tep/<int:pk>/", evidence_file, name="download"),
]

urlpatterns = [
    path("", public.home, name="home"),
    path("ket-qua/<int:year>/", public.year_results, name="year_results"),
    path("ket-qua/<int:year>/hai-long/", public.sipas_results, name="sipas_results"),
    path("ket-qua/<int:year>/<str:code>/", public.unit_results, name="unit_results"),
    path("api/years/<int:year>/results", appraisal_api.results_api, name="results_api"),
    path("tu-danh-gia/", include((evidence_patterns, evidence_urls.app_name))),
    path("tham-dinh/", include("appraisal.urls")),
    path("dieu-tra/", include("surveys.urls")),
    path("bao-cao/", include("reports.urls")),
    path("thong-bao/", include("notifications.urls")),
    path("tai-khoan/", include("accounts.urls")),
    path("nam-danh-gia/", include("criteria.urls")),
    path("nam-danh-gia/", include("exchange.urls")),
    path("nhat-ky/", audit_views.audit_log, name="audit_log"),
    path("nhat-ky/tai-ve.csv", audit_views.audit_export, name="audit_export"),
    path("nhat-ky/tai-ve.xlsx", audit_views.audit_export_xlsx, name="audit_export_xlsx"),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("quan-tri/", admin.site.urls),
]
