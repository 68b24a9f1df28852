"""Short explanations, in our own words, of the four leadership styles and the ten roles."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import LeaderNeed, LeaderRole, LeadershipStyle

STYLE_EXPLANATIONS: dict[str, Promise] = {
    LeadershipStyle.DIRECTIVE: _(
        "Much attention to the task, less to the relationship: you say clearly what needs to "
        "happen and how. Helps a new group that is still finding its way."
    ),
    LeadershipStyle.PERSUADING: _(
        "Much attention to both task and relationship: you still set the course, but explain why "
        "and coach members to take it on themselves."
    ),
    LeadershipStyle.CONSULTING: _(
        "Much attention to the relationship, less to the task: you decide together with the "
        "members and support them while they do the work."
    ),
    LeadershipStyle.DELEGATING: _(
        "Little steering on task or relationship: an experienced, motivated group organises "
        "itself and you hand over responsibility."
    ),
}

ROLE_EXPLANATIONS: dict[str, Promise] = {
    LeaderRole.RESOURCE_PROVIDER: _(
        "Shares materials, articles and good examples with colleagues."
    ),
    LeaderRole.INSTRUCTIONAL_SPECIALIST: _(
        "Helps colleagues try out and improve ways of teaching."
    ),
    LeaderRole.CURRICULUM_SPECIALIST: _(
        "Knows the curriculum and learning goals and helps the team build on them together."
    ),
    LeaderRole.CLASSROOM_SUPPORTER: _(
        "Works alongside a colleague in the classroom, for example by co-teaching or observing."
    ),
    LeaderRole.LEARNING_FACILITATOR: _(
        "Creates the moments and the structure in which colleagues learn from each other."
    ),
    LeaderRole.MENTOR: _("Guides new or less experienced colleagues."),
    LeaderRole.SCHOOL_LEADER: _(
        "Takes part in the school's direction, for example in a working group or with the "
        "management."
    ),
    LeaderRole.DATA_COACH: _(
        "Helps colleagues read results and other data and use them to improve their teaching."
    ),
    LeaderRole.CATALYST: _("Questions habits, brings in new ideas and gets change moving."),
    LeaderRole.LEARNER: _(
        "Keeps learning and lets others see it: a model of the learning they ask of the group."
    ),
}

NEED_EXPLANATIONS: dict[str, Promise] = {
    LeaderNeed.SHARING: _("Hearing how other teacher leaders go about it, and telling your own."),
    LeaderNeed.INTERVISION: _(
        "Bringing in a question about leading your PLG and working on it with peers."
    ),
    LeaderNeed.THEORY: _("Background reading or training on leading a learning group."),
}


def explained(choices, explanations: dict[str, Promise]) -> list[tuple[str, Promise, Promise]]:
    """Pair each choice with its label and explanation, in the glossary's order."""
    return [(value, label, explanations[value]) for value, label in choices]
