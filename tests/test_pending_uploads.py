"""Uploads waiting for "Confirm" (inspections.pending): kept in the app's storage, claimed
once in the database whichever app server gets the confirm, removed after a day."""

import copy
import threading
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django.utils import timezone

from actionplans.models import ActionPlan
from inspections.models import PendingUpload
from inspections.pending import PendingStore, remove_expired

from .pending_uploads import pending_uploads
from .test_plan_import import small_plan, upload

store = PendingStore(PendingUpload.Kind.PLAN, "test_uploads", ".docx")


@pytest.fixture
def request_of(rf):
    def make(user):
        request = rf.post("/")
        request.session, request.user = {}, user
        return request

    return make


def test_an_upload_waits_in_storage_with_a_row_for_its_claim(request_of, plan_manager):
    request = request_of(plan_manager)
    saved = store.save(request, b"the plan", filename="plan.docx")
    assert pending_uploads() == [saved.name]
    assert default_storage.open(saved.name).read() == b"the plan"
    row = PendingUpload.objects.get(token=saved.token)
    assert (row.kind, row.user, row.name, row.claimed_at) == (
        "plan",
        plan_manager,
        saved.name,
        None,
    )
    assert request.session["test_uploads"][saved.token]["filename"] == "plan.docx"


def test_only_one_confirm_claims_an_upload_and_a_failed_one_gives_it_back(request_of, plan_manager):
    request = request_of(plan_manager)
    token = store.save(request, b"the plan", filename="plan.docx").token
    # Two requests, as two app servers would load it from the one session.
    first, second = store.load(request, token), store.load(request, token)
    assert first.claim() == b"the plan"
    assert second.claim() is None
    assert second.read() == b"the plan", "the preview still shows while the first writes"
    first.unclaim()
    assert second.claim() == b"the plan"


def test_a_finished_confirm_leaves_its_result_for_a_second_one_and_removes_the_file(
    request_of, plan_manager
):
    request = request_of(plan_manager)
    token = store.save(request, b"the letter", filename="letter.pdf").token
    winner, loser = store.load(request, token), store.load(request, token)
    assert winner.claim() is not None
    assert loser.result() is None  # still writing
    winner.finish("42")
    assert loser.claim() is None and loser.read() is None
    assert loser.result() == "42"
    assert pending_uploads() == []


def test_a_file_changed_in_storage_is_not_read(request_of, plan_manager):
    request = request_of(plan_manager)
    saved = store.save(request, b"the plan", filename="plan.docx")
    default_storage.delete(saved.name)
    default_storage.save(saved.name, ContentFile(b"another plan"))
    assert store.load(request, saved.token).read() is None


def test_uploads_older_than_a_day_go_with_their_files_even_half_saved(request_of, plan_manager):
    request = request_of(plan_manager)
    old, fresh = (store.save(request, b"x", filename="x.docx") for _ in range(2))
    half_saved = store.save(request, b"y", filename="y.docx")
    default_storage.delete(half_saved.name)  # its row was written, its file never was
    day_and_a_bit = timezone.now() - timedelta(days=1, minutes=1)
    PendingUpload.objects.exclude(token=fresh.token).update(created_at=day_and_a_bit)

    assert remove_expired() == 2
    assert pending_uploads() == [fresh.name]
    assert list(PendingUpload.objects.values_list("token", flat=True)) == [fresh.token]
    assert remove_expired() == 0


def test_the_import_works_with_any_storage_and_writes_nothing_to_the_media_folder(
    client, plan_manager, stockton, settings, media_root
):
    """Nothing waits outside Django's storage: with an in-memory one, the upload, preview
    and confirm work and the disk sees nothing."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    client.force_login(plan_manager)
    preview_url = upload(client, stockton.inspection, small_plan())["Location"]
    assert len(pending_uploads()) == 1
    assert client.get(preview_url).status_code == 200
    response = client.post(preview_url)
    assert response.status_code == 302
    assert ActionPlan.objects.filter(inspection=stockton.inspection).count() == 2
    assert pending_uploads() == []
    assert not media_root.exists()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_confirms_racing_on_their_own_connections_write_once(plan_manager, stockton):
    """Four confirms of one upload at once, each on its own database connection as on
    separate app servers: one imports the plan, the others are told it may be done."""
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent connections need PostgreSQL")
    client = Client()
    client.force_login(plan_manager)
    preview_url = upload(client, stockton.inspection, small_plan())["Location"]
    cookies = client.cookies
    assert len(pending_uploads()) == 1
    start, results = threading.Barrier(4), []

    def confirm():
        racer = Client()
        racer.cookies = copy.deepcopy(cookies)  # the same browser: a quadruple click
        start.wait()
        try:
            results.append(racer.post(preview_url, follow=True).content.decode())
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert ActionPlan.objects.filter(inspection=stockton.inspection).count() == 2
    assert sum("Plan imported from plan.docx" in page for page in results) == 1
    assert sum("may have been imported already" in page for page in results) == 3
