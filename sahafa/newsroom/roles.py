"""The four newsroom roles and the exact permissions behind them.

Roles are Django groups, so Wagtail's own admin views enforce them and an
administrator can edit them in «المجموعات». Page permissions in Wagtail belong to a
group *and a page subtree*, so "assigned sections" are per-section groups: every
section gets «مراسلو قسم …» (add pages: write and edit one's own drafts) and
«رؤساء قسم …» (add, edit, publish, lock, unlock: the section's articles and its front).
A reporter is a member of the «مراسل» group plus the reporter group of each of their
sections; likewise for section editors. The editor-in-chief and the administrator hold
their page permissions on the root, i.e. everywhere.

The ``ensure_*`` functions take an app registry so that the data migration can run
them against historical models; they create what is missing and never reset the
permissions of a group that already exists (administrators may have edited them).
"""

from __future__ import annotations

import re

from django.apps import apps as global_apps
from django.utils.translation import gettext_lazy as _

REPORTER = "reporter"
SECTION_EDITOR = "section_editor"
EDITOR_IN_CHIEF = "editor_in_chief"
ADMINISTRATOR = "administrator"

ROLE_CHOICES = [
    (REPORTER, _("مراسل")),
    (SECTION_EDITOR, _("رئيس قسم")),
    (EDITOR_IN_CHIEF, _("رئيس التحرير")),
    (ADMINISTRATOR, _("مدير النظام")),
]
ROLE_CODES = [code for code, _label in ROLE_CHOICES]
SECTION_ROLES = (REPORTER, SECTION_EDITOR)

# Group names are stored in the database, so they are plain Arabic strings (the
# database is not translated); the role code in RoleGroup is the stable key.
ROLE_GROUP_NAMES = {
    REPORTER: "مراسل",
    SECTION_EDITOR: "رئيس قسم",
    EDITOR_IN_CHIEF: "رئيس التحرير",
    ADMINISTRATOR: "مدير النظام",
}
SECTION_GROUP_NAMES = {
    REPORTER: "مراسلو قسم {section}",
    SECTION_EDITOR: "رؤساء قسم {section}",
}

WORKFLOW_NAME = "مسار الموافقة"
SECTION_TASK_NAME = "موافقة رئيس القسم"
CHIEF_TASK_NAME = "موافقة رئيس التحرير"

# (app_label, model, codename) of the model permissions each role group holds.
ACCESS_ADMIN = ("wagtailadmin", "admin", "access_admin")
IMPORT_ARCHIVE = ("ingest", "importjob", "import_archive")


def crud(app_label: str, model: str, actions=("add", "change", "delete")) -> list[tuple]:
    return [(app_label, model, f"{action}_{model}") for action in actions]


# The old addresses of an imported archive answer through Wagtail's redirects: the
# editor-in-chief, who runs the import, sees and corrects them.
REDIRECTS = crud("wagtailredirects", "redirect")


MODEL_PERMISSIONS: dict[str, list[tuple[str, str, str]]] = {
    REPORTER: [ACCESS_ADMIN],
    SECTION_EDITOR: [ACCESS_ADMIN],
    EDITOR_IN_CHIEF: [
        ACCESS_ADMIN,
        *crud("news", "tickeritem"),
        *crud("news", "author"),
        ("news", "outletsettings", "change_outletsettings"),
        IMPORT_ARCHIVE,
        *REDIRECTS,
    ],
}
MODEL_PERMISSIONS[ADMINISTRATOR] = [
    *MODEL_PERMISSIONS[EDITOR_IN_CHIEF],
    *crud("auth", "user"),
    *crud("auth", "group"),
    *crud("wagtailcore", "site"),
    *crud("wagtailcore", "workflow"),
    *crud("wagtailcore", "task"),
    *crud("wagtailcore", "collection"),
    ("newsroom", "auditevent", "view_auditevent"),
    ("newsroom", "auditevent", "merge_tags"),
]

# Image and document permissions are per collection in Wagtail: held on the root one.
COLLECTION_PERMISSIONS: dict[str, list[tuple[str, str, str]]] = {
    REPORTER: [
        ("wagtailimages", "image", "add_image"),
        ("wagtailimages", "image", "choose_image"),
        ("wagtaildocs", "document", "add_document"),
        ("wagtaildocs", "document", "choose_document"),
    ],
}
COLLECTION_PERMISSIONS[SECTION_EDITOR] = COLLECTION_PERMISSIONS[REPORTER]
COLLECTION_PERMISSIONS[EDITOR_IN_CHIEF] = [
    *crud("wagtailimages", "image", ("add", "change", "delete", "choose")),
    *crud("wagtaildocs", "document", ("add", "change", "delete", "choose")),
]
COLLECTION_PERMISSIONS[ADMINISTRATOR] = COLLECTION_PERMISSIONS[EDITOR_IN_CHIEF]

# Page permissions: on the root for the chief and the administrator, on each
# section for the per-section groups. "add" alone lets a reporter edit only the
# pages they own; publishing needs "publish".
EDITING = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
ROOT_PAGE_PERMISSIONS = {EDITOR_IN_CHIEF: EDITING, ADMINISTRATOR: [*EDITING, "bulk_delete_page"]}
SECTION_PAGE_PERMISSIONS = {REPORTER: ["add_page"], SECTION_EDITOR: EDITING}


# --- creating the groups ------------------------------------------------------------


def permission(apps, app_label: str, model: str, codename: str):
    """The Permission row, created if the post_migrate step has not made it yet
    (a fresh ``migrate`` runs this data migration before permissions exist)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _created = ContentType.objects.get_or_create(app_label=app_label, model=model)
    perm, _created = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": permission_name(apps, app_label, model, codename)},
    )
    return perm


def permission_name(apps, app_label: str, model: str, codename: str) -> str:
    """The name Django's post_migrate step would give the permission."""
    try:
        opts = apps.get_model(app_label, model)._meta
    except LookupError:
        return codename.replace("_", " ")
    custom = dict(opts.permissions)
    if codename in custom:
        return str(custom[codename])
    action = codename.split("_", 1)[0]
    return f"Can {action} {opts.verbose_name_raw}"


def page_permission(apps, codename: str):
    return permission(apps, "wagtailcore", "page", codename)


def root_page(apps):
    return apps.get_model("wagtailcore", "Page").objects.filter(depth=1).order_by("path").first()


def root_collection(apps):
    return apps.get_model("wagtailcore", "Collection").objects.filter(depth=1).first()


def free_group_name(apps, name: str) -> str:
    Group = apps.get_model("auth", "Group")
    candidate, n = name, 1
    while Group.objects.filter(name=candidate).exists():
        n += 1
        candidate = f"{name} ({n})"
    return candidate


def ensure_role_group(role: str, apps=global_apps):
    """The group of ``role`` (not tied to a section), created with its permissions if missing."""
    RoleGroup = apps.get_model("newsroom", "RoleGroup")
    Group = apps.get_model("auth", "Group")
    link = RoleGroup.objects.filter(role=role, section__isnull=True).select_related("group").first()
    if link is not None:
        return link.group
    group = Group.objects.create(name=free_group_name(apps, ROLE_GROUP_NAMES[role]))
    RoleGroup.objects.create(group=group, role=role, section=None)
    group.permissions.set([permission(apps, *spec) for spec in MODEL_PERMISSIONS[role]])
    collection = root_collection(apps)
    if collection is not None:
        GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
        for spec in COLLECTION_PERMISSIONS[role]:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=permission(apps, *spec)
            )
    root = root_page(apps)
    if root is not None:
        GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
        for codename in ROOT_PAGE_PERMISSIONS.get(role, []):
            GroupPagePermission.objects.get_or_create(
                group=group, page_id=root.pk, permission=page_permission(apps, codename)
            )
    return group


def ensure_section_groups(section, apps=global_apps) -> dict[str, object]:
    """The reporter and section-editor groups of ``section``, created if missing."""
    RoleGroup = apps.get_model("newsroom", "RoleGroup")
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    groups = {}
    for role in SECTION_ROLES:
        link = (
            RoleGroup.objects.filter(role=role, section_id=section.pk)
            .select_related("group")
            .first()
        )
        if link is not None:
            groups[role] = link.group
            continue
        name = SECTION_GROUP_NAMES[role].format(section=section.title)
        group = Group.objects.create(name=free_group_name(apps, name))
        RoleGroup.objects.create(group=group, role=role, section_id=section.pk)
        for codename in SECTION_PAGE_PERMISSIONS[role]:
            GroupPagePermission.objects.get_or_create(
                group=group, page_id=section.pk, permission=page_permission(apps, codename)
            )
        groups[role] = group
    return groups


def rename_section_groups(section, old_title: str, apps=global_apps) -> None:
    """After ``section`` was renamed from ``old_title``: its groups that still carry the
    name made from the old title take the new one (same rows, so same members and
    permissions). A name an administrator chose is left alone."""
    RoleGroup = apps.get_model("newsroom", "RoleGroup")
    for link in RoleGroup.objects.filter(section_id=section.pk).select_related("group"):
        pattern = SECTION_GROUP_NAMES.get(link.role)
        if pattern is None:
            continue
        old_name = pattern.format(section=old_title)
        name = link.group.name
        # free_group_name() may have added " (2)" to a clashing name.
        if name != old_name and not re.fullmatch(re.escape(old_name) + r" \(\d+\)", name):
            continue
        link.group.name = free_group_name(apps, pattern.format(section=section.title))
        link.group.save(update_fields=["name"])


def ensure_workflow(apps=global_apps):
    """«مسار الموافقة» (section head, then the chief where needed) assigned to the root.

    Assigned to the root page rather than the home page so that it covers the home page
    even when the home page is created after ``migrate`` (as on a fresh install). It
    replaces Wagtail's default «Moderators approval» workflow there.
    """
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    ContentType = apps.get_model("contenttypes", "ContentType")
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
        for order, (model, name) in enumerate(
            [("sectionapprovaltask", SECTION_TASK_NAME), ("chiefapprovaltask", CHIEF_TASK_NAME)]
        ):
            Task = apps.get_model("newsroom", model)
            content_type, _created = ContentType.objects.get_or_create(
                app_label="newsroom", model=model
            )
            task = Task.objects.create(name=name, content_type=content_type, active=True)
            WorkflowTask.objects.create(workflow=workflow, task_id=task.pk, sort_order=order)
    root = root_page(apps)
    if root is not None:
        previous = WorkflowPage.objects.filter(page_id=root.pk).first()
        WorkflowPage.objects.update_or_create(page_id=root.pk, defaults={"workflow": workflow})
        if previous is not None and previous.workflow_id != workflow.pk:
            old = previous.workflow
            if not old.workflow_pages.exists():
                old.active = False
                old.save(update_fields=["active"])
    return workflow


def retire_wagtail_default_groups(apps=global_apps) -> None:
    """Wagtail's sample «Moderators»/«Editors» groups hold page rights on the root that
    match no newsroom role; they go while nobody is in them."""
    Group = apps.get_model("auth", "Group")
    for name in ("Moderators", "Editors"):
        group = Group.objects.filter(name=name).first()
        if group is not None and not group.user_set.exists():
            group.delete()


def ensure_roles(apps=global_apps) -> None:
    """Everything the newsroom needs: role groups, section groups, the workflow."""
    for role in ROLE_CODES:
        ensure_role_group(role, apps)
    SectionPage = apps.get_model("news", "SectionPage")
    for section in SectionPage.objects.all():
        ensure_section_groups(section, apps)
    retire_wagtail_default_groups(apps)
    ensure_workflow(apps)


# --- asking about a user ------------------------------------------------------------


def role_links(user):
    """The RoleGroup rows of the user's groups (cached on the user for the request)."""
    cached = getattr(user, "_newsroom_role_links", None)
    if cached is None:
        from .models import RoleGroup

        if not user.is_authenticated:
            cached = []
        else:
            cached = list(
                RoleGroup.objects.filter(group__user=user).values_list("role", "section_id")
            )
        user._newsroom_role_links = cached
    return cached


def roles_of(user) -> set[str]:
    """The user's role codes (from the role groups, not the per-section ones)."""
    return {role for role, section_id in role_links(user) if section_id is None}


def has_role(user, *roles: str) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return bool(roles_of(user) & set(roles))


def section_ids(user, role: str) -> set[int]:
    return {section_id for r, section_id in role_links(user) if r == role and section_id}


def edits_section(user, section) -> bool:
    """May ``user`` approve for ``section``? Its section editors, the chief and administrators."""
    if has_role(user, EDITOR_IN_CHIEF, ADMINISTRATOR):
        return True
    return section is not None and section.pk in section_ids(user, SECTION_EDITOR)
