app_name = "network"
urlpatterns: list = []
# Each part appends its own (one line pair each, so parallel work merges cleanly):
