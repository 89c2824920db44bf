from django.contrib import admin

from headwater.testing import models as m

for model in (m.Campaign, m.SamplingSite, m.Batch, m.Tube):
    admin.site.register(model)
