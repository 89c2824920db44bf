import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    "name", ["home", "core:people", "core:units", "core:sites", "core:levels", "core:audit"]
)
def test_office_opens_every_core_page(client, office_user, name):
    client.force_login(office_user)
    response = client.get(reverse(name))
    assert response.status_code == 200
