app_name = "duty"
urlpatterns: list = []
