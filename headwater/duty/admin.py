from django.contrib import admin

from headwater.duty import models as m

for model in (m.Post, m.ShiftDef, m.Roster, m.Shift):
    admin.site.register(model)
