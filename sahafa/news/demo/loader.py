"""Load the demo outlet: masthead, sections, authors, articles with images, ticker.

Safe to run twice: everything is looked up by a stable key before it is created.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.utils import timezone
from wagtail.images.models import Image

from ..models import (
    ArticlePageCorrection,
    Author,
    HomePage,
    HomePageFeature,
    OutletSettings,
    TickerItem,
)
from ..signals import batched_changes
from ..structure import create_article, ensure_home, ensure_section
from .images import illustration

CONTENT = Path(__file__).with_name("content.json")
DEMO_USERNAME = "editor"
DEMO_PASSWORD = "sahafa-demo"  # noqa: S105 - printed to the person running the local demo


def demo_image(theme: str, seed: int, title: str) -> Image:
    name = f"demo-{theme}-{seed}.jpg"
    existing = Image.objects.filter(file__endswith=name).first()
    if existing:
        return existing
    from io import BytesIO

    data = BytesIO(illustration(theme, seed))
    return Image.objects.create(title=title[:250], file=ImageFile(data, name=name))


def rich_paragraph(text: str) -> str:
    from django.utils.html import escape

    return f"<p>{escape(text)}</p>"


def body_blocks(blocks: list[dict], seed: int) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for i, block in enumerate(blocks):
        kind = block["type"]
        if kind == "paragraph":
            out.append(("paragraph", rich_paragraph(block["text"])))
        elif kind == "heading":
            out.append(("heading", block["text"]))
        elif kind == "quote":
            out.append(
                (
                    "quote",
                    {
                        "text": block["text"],
                        "attribution": block.get("attribution", ""),
                        "style": block.get("style", "inline"),
                    },
                )
            )
        elif kind == "image":
            image = demo_image(
                block.get("image_theme", "city"), seed * 100 + i, block.get("caption") or "صورة"
            )
            out.append(
                (
                    "image",
                    {
                        "image": image,
                        "caption": block.get("caption", ""),
                        "credit": block.get("credit", ""),
                    },
                )
            )
    return out


def load_demo(stdout=None) -> dict[str, int]:
    """Load everything; search and related topics get one event at the end."""
    with batched_changes():
        return _load_demo()


def _load_demo() -> dict[str, int]:
    content = json.loads(CONTENT.read_text(encoding="utf-8"))
    counts = {"sections": 0, "authors": 0, "articles": 0, "ticker": 0}
    outlet_data = content["outlet"]
    home = ensure_home()

    outlet = OutletSettings.load()
    for field in (
        "name",
        "tagline",
        "chairman",
        "editor_in_chief",
        "managing_editor",
        "contact_email",
        "contact_phone",
        "address",
        "publishing_principles",
        "corrections_policy",
    ):
        # Fill what the editors have not set; never overwrite their edits on a re-run.
        current = getattr(outlet, field)
        if outlet_data.get(field) and (
            not current or current == OutletSettings._meta.get_field(field).default
        ):
            setattr(outlet, field, outlet_data[field])
    outlet.save()

    sections = {}
    for data in content["sections"]:
        sections[data["slug"]] = ensure_section(data["title"], data["slug"], data.get("intro", ""))
        counts["sections"] += 1

    authors = {}
    for data in content["authors"]:
        author, created = Author.objects.get_or_create(
            name=data["name"],
            defaults={"job_title": data.get("job_title", ""), "bio": data.get("bio", "")},
        )
        authors[author.name] = author
        counts["authors"] += created

    user = ensure_demo_editor()
    now = timezone.now()
    from ..models import ArticlePage

    for n, data in enumerate(content["articles"], start=1):
        external_id = f"demo-{n}"
        if ArticlePage.objects.filter(external_id=external_id).exists():
            continue
        lead = demo_image(
            data.get("image_theme", "city"), n, data.get("lead_caption") or data["title"]
        )
        published_at = now - timedelta(hours=int(data.get("hours_ago", n)), minutes=n)
        corrections = [
            ArticlePageCorrection(
                kind=entry["kind"],
                at=now - timedelta(hours=int(entry["hours_ago"])),
                text=entry["text"],
            )
            for entry in data.get("corrections", [])
        ]
        create_article(
            sections[data["section"]],
            title=data["title"],
            # The breaking badge already says «عاجل»; a kicker saying it again is noise.
            kicker=""
            if data.get("breaking") and data.get("kicker") == "عاجل"
            else data.get("kicker", ""),
            standfirst=data.get("standfirst", ""),
            lead_image=lead,
            lead_caption=data.get("lead_caption", ""),
            lead_credit=data.get("lead_credit", ""),
            body=body_blocks(data["body"], n),
            is_breaking=bool(data.get("breaking")),
            external_id=external_id,
            published_at=published_at,
            corrections=corrections,
            tags=data.get("tags", []),
            authors=[authors[a] for a in data.get("authors", []) if a in authors],
            user=user,
        )
        counts["articles"] += 1

    for data in content.get("ticker", []):
        _item, created = TickerItem.objects.get_or_create(
            text=strip_breaking_prefix(data["text"])
            if data.get("breaking", True)
            else data["text"],
            defaults={
                "is_breaking": data.get("breaking", True),
                "priority": data.get("priority", 5),
            },
        )
        counts["ticker"] += created

    feature_home(home)
    return counts


def strip_breaking_prefix(text: str) -> str:
    """«عاجل: …» → «…»: the ticker shows its own «عاجل» badge."""
    for prefix in ("عاجل:", "عاجل :", "عاجل -"):
        if text.startswith(prefix):
            return text[len(prefix) :].strip()
    return text


def feature_home(home: HomePage) -> None:
    """Put the breaking stories first on the front page, as an editor would."""
    from ..models import ArticlePage

    if home.features.exists():
        return
    for order, article in enumerate(
        ArticlePage.objects.published().filter(is_breaking=True).newest_first()[:2]
    ):
        HomePageFeature.objects.create(page=home, article=article, sort_order=order)


def ensure_demo_editor():
    """The demo's «editor» login, owner of the demo articles. News gives it no rights:
    the newsroom makes it editor-in-chief and adds its other demo accounts
    (``create_demo_accounts``, which ``sahafa demo`` runs after this loader)."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=DEMO_USERNAME,
        defaults={"first_name": "محرر", "last_name": "العرض", "email": "editor@example.com"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user
