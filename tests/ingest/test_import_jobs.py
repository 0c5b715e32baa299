"""Import jobs: an admin upload runs in the background and the editor follows it.

The upload request only stores the files and enqueues the job's task, in its own
transaction. To see a job while it waits, these tests hold the queue (django-tasks'
dummy backend keeps what is enqueued) and then run the held task as the worker would
— with the test settings' immediate backend back in place, so the import's own
tasks (search, related topics) run as it writes.
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from sahafa.ingest import loader as loader_module
from sahafa.ingest import tasks
from sahafa.ingest.models import ImportJob

URL = "/admin/ingest/upload/"


def rows(count: int, start: int = 0) -> list[dict]:
    return [
        {
            "id": f"job-{n}",
            "title": f"خبر الأرشيف رقم {n} عن الطاقة",
            "body": f"الفقرة الأولى من الخبر {n}.\nالفقرة الثانية من الخبر {n}.",
        }
        for n in range(start, start + count)
    ]


def jsonl_file(name: str, items: list) -> SimpleUploadedFile:
    text = "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in items)
    return SimpleUploadedFile(name, text.encode())


@pytest.fixture(autouse=True)
def private_home(settings, tmp_path):
    """Each test's own SAHAFA_HOME: job folders are named by id, and ids repeat
    between tests that roll back."""
    settings.HOME = tmp_path / "home"
    return settings.HOME


def make_user(django_user_model, name: str, *, may_import: bool = True, superuser=False):
    if superuser:
        return django_user_model.objects.create_superuser(
            name, f"{name}@example.com", "pw-12345678"
        )
    user = django_user_model.objects.create_user(name, f"{name}@example.com", "pw-12345678")
    codenames = ["access_admin"] + (["import_archive"] if may_import else [])
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def importer(django_user_model):
    return make_user(django_user_model, "importer")


HELD = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def upload_queued(client, settings, fmt: str, *files, **extra):
    """Upload with the queue held: returns (response, the job, the tasks it enqueued)."""
    from django_tasks import task_backends

    immediate = settings.TASKS
    settings.TASKS = HELD
    try:
        with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
            response = client.post(URL, {"format": fmt, "files": list(files), **extra})
        held = list(task_backends["default"].results)
    finally:
        settings.TASKS = immediate
    # Enqueued in the upload's own transaction, not after its commit.
    assert callbacks == []
    assert response.status_code == 302
    job = ImportJob.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[-1])
    return response, job, held


def run_worker(held) -> None:
    """What the worker does with the tasks the upload enqueued."""
    for result in held:
        result.task.call(*result.args, **result.kwargs)


def job_page(client, job) -> str:
    response = client.get(f"/admin/ingest/jobs/{job.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_upload_queues_a_job_the_worker_runs(client, settings, home, importer, private_home):
    from sahafa.news.models import ArticlePage

    client.force_login(importer)
    upload = jsonl_file("أرشيف الطاقة.jsonl", [*rows(3), "{broken"])
    response, job, held = upload_queued(client, settings, "jsonl", upload)
    assert response["Location"] == f"/admin/ingest/jobs/{job.pk}/"
    # One durable task on the default queue, for this job, known to the job.
    assert [(r.task.name, r.task.queue_name, r.args) for r in held] == [
        ("run_import_job", "default", [job.pk])
    ]
    assert job.task_id == held[0].id

    # Stored privately under SAHAFA_HOME, under our own name, outside MEDIA_ROOT.
    stored = private_home / "import-jobs" / str(job.pk) / "upload-1.jsonl"
    assert stored.is_file() and job.paths() == [stored]
    assert not str(stored).startswith(str(django_settings.MEDIA_ROOT))

    html = job_page(client, job)
    assert 'data-status="queued"' in html and "في الانتظار" in html
    assert '<meta http-equiv="refresh"' in html
    assert "أرشيف الطاقة.jsonl" in html
    assert "تقرير الاستيراد" not in html
    assert ArticlePage.objects.count() == 0

    run_worker(held)

    html = job_page(client, job)
    assert 'data-status="done"' in html and "اكتمل" in html
    assert '<meta http-equiv="refresh"' not in html
    assert "تقرير الاستيراد" in html
    assert 'data-count="imported">3<' in html and 'data-count="failed">1<' in html
    assert 'data-count="processed">4<' in html
    assert "data-runs" not in html  # run once: no note about a re-run
    # The report names the uploaded file, never our stored path.
    assert "أرشيف الطاقة.jsonl:4" in html and "سطر JSON غير صالح" in html
    assert "upload-1" not in html
    titles = sorted(ArticlePage.objects.values_list("title", flat=True))
    assert titles == [f"خبر الأرشيف رقم {n} عن الطاقة" for n in range(3)]
    article = ArticlePage.objects.get(external_id="job-0")
    assert article.live and "خبر الأرشيف رقم 0" in client.get(article.url).content.decode()
    # Files removed once the job ended successfully.
    assert not stored.exists() and not job.folder.exists()

    # The upload page lists the job with its status.
    listing = client.get(URL).content.decode()
    assert f"/admin/ingest/jobs/{job.pk}/" in listing and "اكتمل" in listing


def test_progress_is_saved_while_the_job_runs(client, settings, home, importer, monkeypatch):
    monkeypatch.setattr(loader_module, "BATCH_SIZE", 4)
    monkeypatch.setattr(tasks, "PROGRESS_EVERY", 4)
    client.force_login(importer)
    _response, job, held = upload_queued(client, settings, "jsonl", jsonl_file("a.jsonl", rows(10)))

    seen = []
    save = tasks.JobProgress.save

    def spy(progress, **fields):
        save(progress, **fields)
        if not fields:  # a progress report, not the final one: what an editor sees now
            seen.append(job_page(client, job))

    monkeypatch.setattr(tasks.JobProgress, "save", spy)
    run_worker(held)

    assert len(seen) == 2  # after 4 and 8 records: one cheap update per batch
    for html, count in zip(seen, (4, 8), strict=True):
        assert 'data-status="running"' in html and '<meta http-equiv="refresh"' in html
        assert f'data-count="processed">{count}<' in html
        assert f"الاستيراد جارٍ: {count} جديدة" in html
    assert 'data-count="imported">10<' in job_page(client, job)


class Killed(BaseException):
    """The worker process dies: nothing of the task runs after this."""


def test_a_job_whose_worker_died_is_run_again_and_imports_exactly_the_rest(
    client, settings, home, importer, monkeypatch
):
    from sahafa.news.models import ArticlePage

    monkeypatch.setattr(loader_module, "BATCH_SIZE", 4)
    monkeypatch.setattr(tasks, "PROGRESS_EVERY", 4)
    client.force_login(importer)
    _response, job, held = upload_queued(client, settings, "jsonl", jsonl_file("a.jsonl", rows(10)))

    item = tasks.JobProgress.item

    def dies_after_first_batch(progress):
        item(progress)
        if progress.processed == 4:
            raise Killed

    with monkeypatch.context() as m:
        m.setattr(tasks.JobProgress, "item", dies_after_first_batch)
        with pytest.raises(Killed):
            run_worker(held)
    assert ArticlePage.objects.count() == 4  # the first batch was committed
    # The row still says running, with the saved batch counted: the task is still the
    # queue's, which runs it again once it sees the worker gone.
    html = job_page(client, job)
    assert 'data-status="running"' in html and '<meta http-equiv="refresh"' in html
    assert "الاستيراد جارٍ: 4 جديدة" in html
    assert job.folder.is_dir()

    run_worker(held)  # the queue's second run of the same task

    html = job_page(client, job)
    assert 'data-status="done"' in html
    assert 'data-count="imported">6<' in html and 'data-count="skipped">4<' in html
    assert 'data-count="failed">0<' in html
    assert 'data-runs="2"' in html and "أعادت قائمة المهام تشغيلها" in html
    assert ArticlePage.objects.count() == 10  # nothing duplicated
    assert sorted(ArticlePage.objects.values_list("external_id", flat=True)) == sorted(
        f"job-{n}" for n in range(10)
    )
    assert not job.folder.exists()
    # Should the task run a third time (a worker lost after the job ended), the
    # finished job is left as it is.
    assert tasks.run_import_job.call(job.pk) == "done"
    assert 'data-count="imported">6<' in job_page(client, job)


def test_a_job_the_queue_gave_up_on_is_shown_failed(client, settings, home, importer):
    """The queue stops re-running a task whose worker was lost time after time (a file
    that kills the worker): the job cannot finish, and its page says so."""
    from django_tasks import TaskResultStatus, task_backends

    client.force_login(importer)
    _response, job, held = upload_queued(client, settings, "jsonl", jsonl_file("a.jsonl", rows(2)))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    settings.TASKS = HELD
    backend = task_backends["default"]
    backend.results.extend(held)
    html = job_page(client, job)
    assert 'data-status="running"' in html  # the queue still holds it: it will run
    object.__setattr__(held[0], "status", TaskResultStatus.FAILED)
    html = job_page(client, job)
    assert 'data-status="failed"' in html and "فشل" in html
    assert "تخلّت عنها قائمة المهام" in html and "ارفع الملفات من جديد" in html
    assert '<meta http-equiv="refresh"' not in html


def test_malformed_file_fails_the_job_with_an_arabic_message(client, settings, home, importer):
    from sahafa.news.models import ArticlePage

    client.force_login(importer)
    truncated = b'<?xml version="1.0"?><rss><channel><item><title>x</title>'
    upload = SimpleUploadedFile("تصدير.xml", truncated)
    _response, job, held = upload_queued(client, settings, "wxr", upload)
    run_worker(held)
    html = job_page(client, job)
    assert 'data-status="failed"' in html and "فشل" in html
    assert "لم يُستورد شيء" in html and "ملف XML تالف" in html and "تصدير.xml" in html
    assert '<meta http-equiv="refresh"' not in html
    assert ArticlePage.objects.count() == 0
    assert not job.folder.exists()


def test_unexpected_error_fails_the_job_with_an_arabic_message(
    client, settings, home, importer, monkeypatch
):
    client.force_login(importer)
    _response, job, held = upload_queued(client, settings, "jsonl", jsonl_file("a.jsonl", rows(2)))

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(tasks, "iter_path_records", broken)
    run_worker(held)  # the traceback goes to the log; the job says it in Arabic
    html = job_page(client, job)
    assert 'data-status="failed"' in html
    assert "توقف الاستيراد بسبب خطأ غير متوقع" in html and "disk on fire" in html


def test_dry_run_job_saves_nothing(client, settings, home, importer):
    from sahafa.news.models import ArticlePage

    client.force_login(importer)
    upload = jsonl_file("a.jsonl", rows(2))
    _response, job, held = upload_queued(client, settings, "jsonl", upload, dry_run="on")
    run_worker(held)
    html = job_page(client, job)
    assert "نتيجة التجربة" in html and 'data-count="imported">2<' in html
    assert ArticlePage.objects.count() == 0


def test_only_importers_follow_jobs_and_only_their_own(
    client, settings, home, importer, django_user_model
):
    client.force_login(importer)
    _response, job, _held = upload_queued(client, settings, "jsonl", jsonl_file("a.jsonl", rows(1)))
    page = f"/admin/ingest/jobs/{job.pk}/"

    client.logout()
    assert "/admin/login/" in client.get(page)["Location"]

    reader = make_user(django_user_model, "reader", may_import=False)
    colleague = make_user(django_user_model, "colleague")
    for user in (reader, colleague):
        client.force_login(user)
        assert client.get(page).status_code == 403
        assert f"/admin/ingest/jobs/{job.pk}/" not in client.get(URL).content.decode()
    client.force_login(reader)
    assert client.get(URL).status_code == 403

    admin = make_user(django_user_model, "chief", superuser=True)
    client.force_login(admin)
    assert 'data-status="queued"' in job_page(client, job)
    assert f"/admin/ingest/jobs/{job.pk}/" in client.get(URL).content.decode()
