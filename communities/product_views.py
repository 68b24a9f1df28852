"""Thin views for a PLG's product: read by whoever sees the PLG, kept by those who manage it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plg_platform.forms import attach_errors
from plg_platform.uploads import attachment_response

from . import product_selectors as selectors
from . import product_services as services
from .models import Community, Product, ProductLink
from .permissions import can_manage_community, get_community_for
from .product_forms import ProductForm, ProductLinkForm


def _page(
    request: HttpRequest, community: Community, *, link_form: ProductLinkForm | None = None
) -> HttpResponse:
    can_edit = can_manage_community(request.user, community)
    return render(
        request,
        "communities/product_detail.html",
        {
            "community": community,
            "product": selectors.product_of(community),
            "can_edit": can_edit,
            "link_form": (link_form or ProductLinkForm()) if can_edit else None,
        },
        status=400 if link_form is not None and link_form.errors else 200,
    )


@login_required
def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The PLG's product: its members, its team's leaders and the programme lead read it."""
    return _page(request, get_community_for(request.user, pk))


@login_required
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The PLG's teacher leaders and the programme lead record or change the product."""
    community = get_community_for(request.user, pk, manage=True)
    product = selectors.product_of(community)
    form = ProductForm(request.POST or None, community=community, product=product)
    if request.method == "POST" and form.is_valid():
        try:
            services.product_save(community=community, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The product has been saved."))
            return redirect("communities:product", pk=community.pk)
    return render(
        request,
        "communities/product_form.html",
        {"community": community, "product": product, "form": form},
    )


@login_required
@require_POST
def product_link_add(request: HttpRequest, pk: int) -> HttpResponse:
    community = get_community_for(request.user, pk, manage=True)
    product = get_object_or_404(Product, community=community)
    form = ProductLinkForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.product_link_add(
                product=product,
                actor=request.user,
                title=form.cleaned_data["title"],
                url=form.cleaned_data["url"],
                file=form.cleaned_data["file"] or None,
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The file or link has been added."))
            return redirect("communities:product", pk=community.pk)
    return _page(request, community, link_form=form)


@login_required
@require_POST
def product_link_remove(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    community = get_community_for(request.user, pk, manage=True)
    link = get_object_or_404(ProductLink, product__community=community, pk=link_pk)
    services.product_link_remove(link=link, actor=request.user)
    messages.success(request, _("The file or link has been removed."))
    return redirect("communities:product", pk=community.pk)


@login_required
def product_file(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    """Hand out a product's file to whoever sees the PLG; 404 otherwise."""
    community = get_community_for(request.user, pk)
    link = get_object_or_404(ProductLink, product__community=community, pk=link_pk)
    if not link.file:
        raise Http404  # a link is shown as itself on the product page, never redirected to
    return attachment_response(link.file)


urlpatterns: list[URLPattern] = [
    path("plg/<int:pk>/product/", product_detail, name="product"),
    path("plg/<int:pk>/product/edit/", product_edit, name="product_edit"),
    path("plg/<int:pk>/product/files/add/", product_link_add, name="product_link_add"),
    path("plg/<int:pk>/product/files/<int:link_pk>/", product_file, name="product_file"),
    path(
        "plg/<int:pk>/product/files/<int:link_pk>/remove/",
        product_link_remove,
        name="product_link_remove",
    ),
]
