"""Workflow e-mail: a submission reaches the editors of the article's section (and no
other section), a return with a comment reaches the reporter with the comment, and
the mail is in Arabic. Sent through Django's locmem backend (``mailoutbox``)."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings

from .conftest import client_for
from .test_workflow import act, edit, fresh

# Wagtail's English wording, which must not reach an Arabic newsroom untranslated.
ENGLISH = re.compile(r"has been|You can|Hello|Edit your|The page|moderation|workflow", re.I)


@pytest.fixture
def addressed(newsroom):
    """Every newsroom account with an e-mail address, but the second politics reporter."""
    for name, user in newsroom.items():
        if name != "writer":
            user.email = f"{name}@sahafa.example"
            user.save()
    return newsroom


def recipients(mailoutbox) -> list[str]:
    return sorted(address for message in mailoutbox for address in message.to)


def is_arabic(text: str) -> bool:
    prose = re.sub(r"https?://\S+", "", text)
    return not ENGLISH.search(prose) and re.search("[\u0621-\u064a]{3}", prose) is not None


def submit(newsroom, draft, title="مفاوضات في إسطنبول", **fields):
    page = draft(newsroom["reporter"], title)
    edit(client_for(newsroom["reporter"]), page, title, **fields, **{"action-submit": "1"})
    return fresh(page)


def test_submission_mails_the_editors_of_that_section_only(addressed, draft, mailoutbox):
    submit(addressed, draft)
    assert recipients(mailoutbox) == ["section_editor@sahafa.example"]
    message = mailoutbox[0]
    assert "مفاوضات في إسطنبول" in message.subject
    assert is_arabic(message.subject) and is_arabic(message.body)
    assert "موافقة رئيس القسم" in message.body
    assert message.from_email == "noreply@localhost"
    # The link works from a mail client: an absolute address of the admin.
    assert "http://localhost:8000/admin/pages/" in message.body


def test_return_with_comment_mails_the_reporter_with_the_comment(addressed, draft, mailoutbox):
    page = submit(addressed, draft)
    mailoutbox.clear()
    act(client_for(addressed["section_editor"]), page, "reject", comment="أضف مصدراً للتصريح")
    assert recipients(mailoutbox) == ["reporter@sahafa.example"]
    message = mailoutbox[0]
    assert "أضف مصدراً للتصريح" in message.body
    assert "مفاوضات في إسطنبول" in message.subject
    assert is_arabic(message.subject) and is_arabic(message.body)


def test_approval_mails_the_reporter(addressed, draft, mailoutbox):
    page = submit(addressed, draft)
    mailoutbox.clear()
    act(client_for(addressed["section_editor"]), page, "approve")
    assert fresh(page).live
    assert recipients(mailoutbox) == ["reporter@sahafa.example"]
    assert is_arabic(mailoutbox[0].subject)


def test_breaking_news_reaches_the_chief_after_the_section_editor(addressed, draft, mailoutbox):
    page = submit(addressed, draft, title="عاجل: اتفاق", is_breaking="on")
    mailoutbox.clear()
    act(client_for(addressed["section_editor"]), page, "approve")
    assert recipients(mailoutbox) == ["editor_in_chief@sahafa.example"]
    assert "موافقة رئيس التحرير" in mailoutbox[0].body


def test_accounts_without_an_address_break_nothing(newsroom, draft, mailoutbox):
    """Nobody has an address: the workflow runs and no mail is attempted."""
    page = submit(newsroom, draft)
    assert page.workflow_in_progress
    act(client_for(newsroom["section_editor"]), page, "reject", comment="راجع العنوان")
    assert fresh(page).workflow_states.get().status == "needs_changes"
    assert mailoutbox == []


def test_writer_without_an_address_is_simply_not_mailed(addressed, draft, mailoutbox):
    page = draft(addressed["writer"], "خبر الكاتب")
    edit(client_for(addressed["writer"]), page, "خبر الكاتب", **{"action-submit": "1"})
    mailoutbox.clear()
    act(client_for(addressed["section_editor"]), page, "reject", comment="أعد الصياغة")
    assert mailoutbox == []
    assert fresh(page).workflow_states.get().status == "needs_changes"


@override_settings(WAGTAILADMIN_NOTIFICATION_FROM_EMAIL="غرفة الأخبار <desk@sahafa.example>")
def test_sender_is_configurable(addressed, draft, mailoutbox):
    submit(addressed, draft)
    assert mailoutbox[0].from_email == "غرفة الأخبار <desk@sahafa.example>"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
        (
            "smtp://desk%40sahafa.example:s%3Acret@mail.sahafa.example:587",
            {
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "mail.sahafa.example",
                "EMAIL_PORT": 587,
                "EMAIL_HOST_USER": "desk@sahafa.example",
                "EMAIL_HOST_PASSWORD": "s:cret",
                "EMAIL_USE_TLS": True,
                "EMAIL_USE_SSL": False,
            },
        ),
        ("smtps://mail.sahafa.example", {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True}),
    ],
)
def test_email_settings_come_from_the_environment(url, expected, monkeypatch):
    from sahafa import settings

    monkeypatch.setenv("SAHAFA_EMAIL_URL", url)
    config = settings._email()
    assert {key: config[key] for key in expected} == expected


def test_a_bad_email_url_is_refused(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from sahafa import settings

    monkeypatch.setenv("SAHAFA_EMAIL_URL", "ftp://mail.example")
    with pytest.raises(ImproperlyConfigured):
        settings._email()
