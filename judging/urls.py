app_name = "judging"

urlpatterns = []
