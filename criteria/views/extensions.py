"""Per-unit extensions of a window (issue 15, item 6): not built yet; no URL."""

urlpatterns = []
