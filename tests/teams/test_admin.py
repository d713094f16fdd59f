import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

MODELS = ["team", "registration", "skill", "invitation", "joinrequest", "teamlog"]


@pytest.mark.parametrize("model", MODELS)
def test_admin_lists_are_read_only(client, staff, team, participant, model):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)

    response = client.get(reverse(f"admin:teams_{model}_changelist"))
    add = client.get(reverse(f"admin:teams_{model}_add"))

    assert response.status_code == 200
    assert add.status_code == 403


def test_admin_team_page_shows_members(client, staff, team, participant):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)

    page = client.get(reverse("admin:teams_team_change", args=[team.pk])).content.decode()

    assert participant.email in page or str(participant) in page
