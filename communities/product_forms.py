"""Forms for a PLG's product. They check types; product_services checks the rules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from plg_platform.forms import PersonChoiceField
from plg_platform.uploads import upload_field

from .models import Product, ProductStatus
from .product_services import GOAL_MAX, STEPS_MAX, TITLE_MAX
from .selectors import group_member_users

if TYPE_CHECKING:
    from .models import Community


class ProductForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    goal = forms.CharField(
        label=_("Goal"),
        max_length=GOAL_MAX,
        help_text=_("What the product is for, and for whom: pupils, colleagues, the school."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    steps = forms.CharField(
        label=_("Steps"),
        max_length=STEPS_MAX,
        required=False,
        help_text=_("The steps towards the product, and who takes them. One per line works well."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    status = forms.ChoiceField(label=_("Status"), choices=ProductStatus.choices)
    contributors = PersonChoiceField(
        label=_("Who contributes"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, community: Community, product: Product | None = None, **kwargs):
        if product is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": product.title,
                    "goal": product.goal,
                    "steps": product.steps,
                    "status": product.status,
                    "contributors": [user.pk for user in product.contributors.all()],
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["contributors"].queryset = group_member_users(community)


class ProductLinkForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    url = forms.URLField(
        label=_("Link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("A web address, or leave empty and choose a file."),
    )
    file = upload_field()

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "link")
        super().__init__(*args, **kwargs)
