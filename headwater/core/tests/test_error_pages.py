"""A refused or missing page is a page of ours: the layout with its menu, Chinese, and a way
back (home, and the page the user came from when it is ours). The API keeps its error shape."""

from django.urls import reverse

from headwater.core.tests.factories import make_user


def test_a_refused_page_shows_the_layout_in_chinese_with_a_way_home(client, unit_head_user):
    client.force_login(unit_head_user)

    response = client.get(reverse("core:audit"))

    html = response.content.decode()
    assert response.status_code == 403
    assert response.templates[0].name == "403.html"
    assert "<title>无权访问 · 源头水务防控平台</title>" in html
    assert "您的角色无权打开此页面。" in html
    assert f'href="{reverse("home")}" data-testid="back-home">返回首页</a>' in html
    assert 'class="navbar-nav me-auto"' in html  # the menu: the user can go on from here
    assert "Forbidden" not in html


def test_a_refused_page_links_back_to_the_page_the_user_came_from(client, unit_head_user):
    client.force_login(unit_head_user)
    came_from = "http://testserver" + reverse("core:people")

    response = client.get(reverse("core:audit"), HTTP_REFERER=came_from)

    assert f'href="{came_from}" data-testid="back-previous">返回上一页</a>' in (
        response.content.decode()
    )


def test_a_refused_page_never_links_back_to_another_site(client, unit_head_user):
    client.force_login(unit_head_user)

    response = client.get(reverse("core:audit"), HTTP_REFERER="https://evil.example/x")

    html = response.content.decode()
    assert 'data-testid="back-previous"' not in html
    assert "evil.example" not in html


def test_a_refusal_with_a_reason_shows_the_reason(client, org):
    # A login without a person (a service account) may not check in: it is told why.
    user = make_user("robot", organization=org, roles=[("staff", None)])
    client.force_login(user)

    response = client.get(reverse("health:checkin"))

    assert response.status_code == 403
    assert "此账号未关联员工。" in response.content.decode()


def test_an_api_refusal_keeps_the_json_error_shape(client, unit_head_user):
    client.force_login(unit_head_user)

    response = client.post(
        "/api/v1/response-level",
        {"level": "level1", "reason": "演练"},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_a_missing_page_shows_the_layout_in_chinese_with_a_way_home(client, unit_head_user):
    client.force_login(unit_head_user)

    response = client.get("/core/no-such-page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in html
    assert f'href="{reverse("home")}">返回首页</a>' in html
