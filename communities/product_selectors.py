"""Reads for PLGs' products, in a fixed number of queries however many PLGs or files."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import Prefetch

from .models import Community, Product, ProductLink

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.db.models import QuerySet


def _products() -> QuerySet[Product]:
    return Product.objects.prefetch_related(
        Prefetch("contributors", queryset=get_user_model().objects.order_by("name", "email")),
        Prefetch("links", queryset=ProductLink.objects.order_by("added_at", "pk")),
    )


def products_for(communities: Iterable[Community] | QuerySet[Community]) -> dict[int, Product]:
    """The products of these PLGs by PLG id (PLGs without one are left out); three queries."""
    return {
        product.community_id: product for product in _products().filter(community__in=communities)
    }


def product_of(community: Community) -> Product | None:
    """A PLG's product with its contributors and files, or None when none is recorded yet."""
    return products_for([community]).get(community.pk)
