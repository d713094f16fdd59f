from django.urls import reverse


def test_home_page_shows_current_edition(client, edition):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert edition.name in response.content.decode()
