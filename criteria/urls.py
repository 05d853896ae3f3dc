from .views import extensions, tree

app_name = "criteria"

urlpatterns = [*tree.urlpatterns, *extensions.urlpatterns]
