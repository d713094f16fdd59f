"""Open data: stable, language-independent URLs (filled by the catalogue and results apps)."""

urlpatterns = []
