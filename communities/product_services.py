"""Writes for a PLG's product (productontwikkeling): its record, its contributors, files and links."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plg_platform.uploads import attachment_errors, delete_file_on_commit

from .models import Community, Product, ProductLink, ProductStatus
from .selectors import group_member_users

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.core.files.uploadedfile import UploadedFile

    from plg_platform.users.models import User

TITLE_MAX = Product._meta.get_field("title").max_length or 200
GOAL_MAX = Product._meta.get_field("goal").max_length or 2000
STEPS_MAX = Product._meta.get_field("steps").max_length or 4000


def _too_long(max_length: int) -> str:
    return _("Keep this to at most %(max)d characters.") % {"max": max_length}


@transaction.atomic
def product_save(
    *,
    community: Community,
    actor: User,
    title: str,
    goal: str,
    steps: str = "",
    status: str = ProductStatus.IDEA,
    contributors: Iterable[User] = (),
) -> Product:
    """Record or change the PLG's product; finished_on follows the status."""
    title, goal, steps = title.strip(), goal.strip(), steps.strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Give the product a title.")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [_too_long(TITLE_MAX)]
    if not goal:
        errors["goal"] = [_("Say what the product is for.")]
    elif len(goal) > GOAL_MAX:
        errors["goal"] = [_too_long(GOAL_MAX)]
    if len(steps) > STEPS_MAX:
        errors["steps"] = [_too_long(STEPS_MAX)]
    if status not in ProductStatus.values:
        errors["status"] = [_("Choose one of the statuses in the list.")]
    chosen = {user.pk for user in contributors}
    members = set(group_member_users(community).filter(pk__in=chosen).values_list("pk", flat=True))
    if chosen - members:
        errors["contributors"] = [_("Contributors must be members of this PLG.")]
    if errors:
        raise ValidationError(errors)

    # Lock the PLG's row so two teacher leaders saving at once take turns (one product per PLG).
    Community.objects.select_for_update().only("pk").get(pk=community.pk)
    product = Product.objects.filter(community=community).first() or Product(community=community)
    was_finished = product.status == ProductStatus.FINISHED and product.pk is not None
    product.title, product.goal, product.steps, product.status = title, goal, steps, status
    if status == ProductStatus.FINISHED:
        # Keep the first finishing date when a finished product is only edited.
        if not (was_finished and product.finished_on):
            product.finished_on = timezone.localdate()
    else:
        product.finished_on = None
    product.save()
    product.contributors.set(get_user_model().objects.filter(pk__in=members))
    return product


@transaction.atomic
def product_link_add(
    *,
    product: Product,
    actor: User,
    title: str,
    url: str = "",
    file: UploadedFile | None = None,
) -> ProductLink:
    """Add a link or a file (never both) to a PLG's product."""
    title, url = title.strip(), url.strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Give the file or link a title.")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [_too_long(TITLE_MAX)]
    errors.update(attachment_errors(url=url, file=file))
    if errors:
        raise ValidationError(errors)
    link = ProductLink(product=product, title=title, url=url, added_by=actor)
    if file:
        link.file = file
    link.save()
    return link


@transaction.atomic
def product_link_remove(*, link: ProductLink, actor: User) -> None:
    """Remove a file or link; a file leaves the storage once the removal is committed."""
    link.delete()
    delete_file_on_commit(link.file)
