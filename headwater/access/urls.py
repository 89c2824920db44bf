app_name = "access"
urlpatterns: list = []
# Each part appends its own (one line each, so parallel work merges cleanly):
