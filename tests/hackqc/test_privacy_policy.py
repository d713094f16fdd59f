"""The privacy policy (Law 25): the person in charge from the settings, the purposes, the
retention period, the rights; linked from every page's footer, sign-up and registration."""

import json

import pytest
from django.urls import reverse

from hackqc.checks import check_privacy_officer
from tests.hackqc.test_settings import run_python

pytestmark = pytest.mark.django_db


def test_policy_names_the_person_in_charge_from_the_settings(client, settings):
    settings.PRIVACY_OFFICER_NAME = "Marie-Ève Tremblay"
    settings.PRIVACY_OFFICER_TITLE = "Directrice générale"
    settings.PRIVACY_OFFICER_EMAIL = "vie-privee@hackqc.example"
    settings.PRIVACY_OFFICER_ADDRESS = "1 rue Principale\nQuébec (Québec)"
    settings.PRIVACY_ORGANISATION = "Collectif HackQC"

    page = client.get("/fr/privacy-policy/").content.decode()

    assert "<h1>Politique de confidentialité</h1>" in page
    assert "<strong>Marie-Ève Tremblay</strong>" in page
    assert "Directrice générale" in page
    assert '<a href="mailto:vie-privee@hackqc.example">vie-privee@hackqc.example</a>' in page
    assert "1 rue Principale<br>Québec (Québec)" in page
    assert "Collectif HackQC" in page


def test_policy_without_a_name_gives_the_title_the_law_uses(client, settings):
    settings.PRIVACY_OFFICER_NAME = ""
    settings.PRIVACY_OFFICER_TITLE = ""

    page = client.get("/fr/privacy-policy/").content.decode()

    assert "Responsable de la protection des renseignements personnels" in page
    assert "<strong>" not in page.split('class="privacy-officer"')[1].split("</address>")[0]


def test_policy_states_the_retention_period_of_the_setting(client, settings):
    settings.PRIVACY_RETENTION_YEARS = 5

    page = client.get("/fr/privacy-policy/").content.decode()

    assert "anonymisés 5 ans après la fin de l'édition" in page


def test_policy_in_english_says_purposes_rights_and_retention(client, settings):
    settings.PRIVACY_RETENTION_YEARS = 1

    page = client.get("/en/privacy-policy/").content.decode()

    assert "<h1>Privacy policy</h1>" in page
    assert "is anonymised 1 year after the edition ends" in page
    assert "Judging the projects, then showing them in the public gallery." in page
    assert "Access and portability" in page
    assert "https://www.cai.gouv.qc.ca/" in page


def test_policy_lists_what_is_collected_in_a_captioned_table(client):
    page = client.get("/fr/privacy-policy/").content.decode()

    assert page.count('<th scope="row"') == 8
    assert "<caption>" in page


def test_every_page_links_the_policy_in_its_footer(client):
    page = client.get("/fr/").content.decode()

    footer = page.split('<footer class="site-footer')[1]
    assert f'href="{reverse("privacy_policy")}"' in footer


def test_signup_links_the_policy(client):
    page = client.get(reverse("account_signup")).content.decode()

    assert f'<a href="{reverse("privacy_policy")}">politique de confidentialité</a>' in page


def test_registration_links_the_policy(client, edition, judge):
    client.force_login(judge)

    page = client.get(reverse("teams:register", args=[edition.slug])).content.decode()

    assert 'name="show_profile"' in page
    assert f'<a href="{reverse("privacy_policy")}">politique de confidentialité</a>' in page


def test_deployment_check_warns_when_the_contact_reaches_nobody(settings):
    settings.PRIVACY_OFFICER_EMAIL = "privacy@localhost"
    assert [w.id for w in check_privacy_officer(None)] == ["hackqc.W001"]

    settings.PRIVACY_OFFICER_EMAIL = "vie-privee@hackqc.example"
    assert check_privacy_officer(None) == []


PROBE = (
    "import json, django; from django.conf import settings; django.setup();"
    "print(json.dumps([settings.PRIVACY_OFFICER_EMAIL, settings.PRIVACY_RETENTION_YEARS]))"
)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, ["privacy@localhost", 3]),
        ({"SITE_URL": "https://hackqc.example"}, ["privacy@hackqc.example", 3]),
        ({"SITE_URL": "http://10.0.0.5:8000"}, ["privacy@localhost", 3]),
        (
            {"PRIVACY_OFFICER_EMAIL": "dpo@org.example", "PRIVACY_RETENTION_YEARS": "7"},
            ["dpo@org.example", 7],
        ),
    ],
)
def test_privacy_settings_come_from_the_environment(env, expected):
    result = run_python(PROBE, **env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == expected


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"PRIVACY_OFFICER_EMAIL": "not an address"}, "PRIVACY_OFFICER_EMAIL"),
        ({"PRIVACY_RETENTION_YEARS": "0"}, "PRIVACY_RETENTION_YEARS"),
        ({"PRIVACY_RETENTION_YEARS": "three"}, "PRIVACY_RETENTION_YEARS"),
    ],
)
def test_malformed_privacy_setting_stops_startup(env, named):
    result = run_python("import django; django.setup()", **env)
    assert result.returncode != 0
    assert named in result.stderr.strip().splitlines()[-1]


def test_rights_lead_to_the_persons_own_privacy_page(client):
    page = client.get("/fr/privacy-policy/").content.decode()

    link = f'<a href="{reverse("privacy:page")}">Mes données et ma vie privée</a>'
    assert page.count(link) == 2
