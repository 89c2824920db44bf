"""Chinese first: pages are Chinese whatever the browser says, until the user picks English."""

from django.urls import reverse


def test_login_page_is_chinese_even_for_an_english_browser(client, db):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in page
    assert "登录源头水务防控平台" in page


def test_language_switch_turns_pages_english_and_back(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    assert "Log in to Headwater" in client.get(reverse("login")).content.decode()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/login/"})
    assert "登录源头水务防控平台" in client.get(reverse("login")).content.decode()


def test_api_follows_the_requests_accept_language(client, db):
    english = client.get("/api/v1/people", HTTP_ACCEPT_LANGUAGE="en")
    chinese = client.get("/api/v1/people")
    assert english.json()["error"]["message"] == "Log in, or send a valid device token."
    assert chinese.json()["error"]["message"] == "请登录，或提供有效的设备令牌。"
