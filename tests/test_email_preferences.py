"""Each person chooses, on a page of their own, which emails they get."""

from django.urls import reverse

from actionplans.models import EmailPreferences


def test_everyone_gets_every_email_until_they_choose(client, police_lead):
    client.force_login(police_lead)
    page = client.get(reverse("email_preferences")).content.decode()
    assert page.count(" checked") == 4
    assert "statutory deadline" in page  # the reminders nobody can turn off
    assert not EmailPreferences.objects.exists()


def test_choices_are_saved_for_the_signed_in_person_only(client, police_lead, council_lead):
    client.force_login(police_lead)
    response = client.post(reverse("email_preferences"), {"overdue_notices": "on"})
    assert response.status_code == 302
    assert "Your email choices have been saved" in client.get(response["Location"]).content.decode()
    choice = EmailPreferences.objects.get()
    assert choice.user == police_lead
    assert (choice.meeting_reminders, choice.overdue_notices, choice.update_digests) == (
        False,
        True,
        False,
    )
    # Changing them again updates the one row.
    client.post(reverse("email_preferences"), {"meeting_reminders": "on"})
    choice.refresh_from_db()
    assert (choice.meeting_reminders, choice.overdue_notices) == (True, False)
    assert EmailPreferences.objects.count() == 1


def test_preferences_page_query_count(client, police_lead, django_assert_num_queries):
    client.force_login(police_lead)
    # session, user, the person's choices, their roles (for the menu)
    with django_assert_num_queries(4):
        client.get(reverse("email_preferences"))
