"""Issue 16, Build 8: under DEBUG (`make run`) a 404 is the Vietnamese page, not Django's
English technical page; an API's own 404 answer is left as it is."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/khong-co-trang-nay/", "/ket-qua/1999/"])
def test_an_unknown_address_under_debug_gets_the_vietnamese_page(client, settings, path):
    settings.DEBUG = True
    response = client.get(path)
    assert response.status_code == 404
    text = response.content.decode()
    assert "Không tìm thấy trang" in text and 'lang="vi"' in text
    assert "DEBUG = True" not in text and "Page not found" not in text


def test_without_debug_the_same_page_is_served(client, settings):
    settings.DEBUG = False
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()
