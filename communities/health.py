"""The seven characteristics explained in our own words, and what each role can do about them.

One glossary for the health check: the question screen shows the explanations, the results
page the suggestions. The labels themselves live on `Characteristic` in models.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Characteristic, HealthActionRole

# A characteristic needs attention when the group scores it low or does not agree on it.
LOW_AVERAGE = 3.0
LARGE_SPREAD = 1.0
# Below this spread we say the group agrees; between it and LARGE_SPREAD, "partly".
SMALL_SPREAD = 0.5

EXPLANATIONS: dict[int, Promise] = {
    Characteristic.SHARED_GOALS: _(
        "We share values and goals about what our students should learn, and we feel "
        "responsible for reaching them together."
    ),
    Characteristic.LEARNING_FOCUS: _(
        "We are here to learn: each of us personally and the group as a whole, and we notice "
        "what we improve."
    ),
    Characteristic.CLOSE_TO_PRACTICE: _(
        "What we discuss starts from our own lessons and classes, and keeps coming back to them."
    ),
    Characteristic.COLLABORATION: _(
        "Everyone takes part actively: we bring things in, ask each other questions and help "
        "each other on."
    ),
    Characteristic.ACTION_AND_REFLECTION: _(
        "We try things out in class, look at the results and reflect on what they teach us."
    ),
    Characteristic.EXPERT_GUIDANCE: _(
        "Someone with expertise (from inside or outside the school) guides us with theory and "
        "examples that fit our situation."
    ),
    Characteristic.CONDITIONS: _(
        "We have the time, the support of our leaders and an organisation that lets the PLG "
        "work well."
    ),
}


@dataclass(frozen=True)
class Suggestion:
    """An action one role can take to strengthen a characteristic."""

    role: HealthActionRole
    text: Promise

    @property
    def role_label(self) -> str:
        return str(self.role.label)


_T = HealthActionRole.TEAM_LEADER
_O = HealthActionRole.ORGANISER
_P = HealthActionRole.PARTICIPANT
_E = HealthActionRole.EXPERT

# Drawn from the handbooks' lists of actions per role (formal leader, organiser, participant,
# external expert), matched to the characteristic they strengthen most.
SUGGESTIONS: dict[int, tuple[Suggestion, ...]] = {
    Characteristic.SHARED_GOALS: (
        Suggestion(
            _T, _("Make the school's values explicit and link the PLG's goal to the school plan.")
        ),
        Suggestion(
            _O,
            _(
                "Put the PLG's shared goal on the agenda and write it down in a few sentences together."
            ),
        ),
        Suggestion(
            _P,
            _("Say which values matter to you in your teaching and ask colleagues about theirs."),
        ),
        Suggestion(_E, _("Open a conversation about shared values, goals and what students need.")),
    ),
    Characteristic.LEARNING_FOCUS: (
        Suggestion(
            _P, _("Link your own learning question to the PLG's theme and share it with the group.")
        ),
        Suggestion(
            _P,
            _("Step out of your comfort zone: pick one thing to try that feels a little uneasy."),
        ),
        Suggestion(
            _O,
            _(
                "Give each agenda item a clear aim, so everyone knows what we want to learn from it."
            ),
        ),
        Suggestion(
            _E,
            _(
                "Find out which knowledge or models the group needs, and give each member what they need."
            ),
        ),
    ),
    Characteristic.CLOSE_TO_PRACTICE: (
        Suggestion(_P, _("Bring in a recent case from your own lessons at the next meeting.")),
        Suggestion(_P, _("Involve your students in evaluating what you change in your teaching.")),
        Suggestion(
            _E, _("Give practical examples with each piece of theory that fit our classes.")
        ),
    ),
    Characteristic.COLLABORATION: (
        Suggestion(_P, _("Ask others open questions and offer ideas as options, not as rules.")),
        Suggestion(_P, _("Keep the agreements we made and plan your own time so you can.")),
        Suggestion(
            _O, _("Keep in touch with every member between meetings, also those who are quiet.")
        ),
        Suggestion(
            _T,
            _("Look at the group's composition: complementary, equal and able to carry the work."),
        ),
    ),
    Characteristic.ACTION_AND_REFLECTION: (
        Suggestion(
            _P,
            _("After a lesson that worked, look for the reason why and what others can use of it."),
        ),
        Suggestion(
            _P, _("Name one first small step after each meeting and report back on it next time.")
        ),
        Suggestion(
            _O,
            _("End every meeting with a short evaluation: what went well, what do we do better?"),
        ),
        Suggestion(
            _E,
            _("Question what the group takes for granted, with high but realistic expectations."),
        ),
    ),
    Characteristic.EXPERT_GUIDANCE: (
        Suggestion(_T, _("Set aside budget for expertise from outside the school.")),
        Suggestion(_O, _("Contact the expert before each meeting about what the group needs.")),
        Suggestion(
            _P, _("Be curious about theory and models, and try out the relevant parts in class.")
        ),
        Suggestion(
            _E, _("Move between theory and daily practice, and be clear about the role you take.")
        ),
    ),
    Characteristic.CONDITIONS: (
        Suggestion(
            _T, _("Secure time for the PLG in the annual task load and the year's meeting plan.")
        ),
        Suggestion(
            _T,
            _("Show interest: attend part of a meeting and mention the PLG's results in the team."),
        ),
        Suggestion(
            _T, _("Guard continuity: keep plans from outside from interrupting the PLG's work.")
        ),
        Suggestion(
            _O, _("Arrange the room, the time and coffee well ahead, and share the agenda in time.")
        ),
        Suggestion(_O, _("Keep in touch with the team leader about time and other conditions.")),
    ),
}


def explanation(characteristic: int) -> str:
    """Return the short explanation shown with a characteristic's question."""
    return str(EXPLANATIONS[characteristic])


def suggestions_for(characteristic: int) -> tuple[Suggestion, ...]:
    """Return the suggested actions for a characteristic that needs attention."""
    return SUGGESTIONS[characteristic]


def needs_attention(average: float, spread: float) -> bool:
    """A low average or a large spread asks for a conversation and perhaps an action."""
    return average < LOW_AVERAGE or spread >= LARGE_SPREAD


def agreement(spread: float) -> Promise:
    """Say in words how much the group agrees on a characteristic."""
    if spread < SMALL_SPREAD:
        return _("The group largely agrees.")
    if spread < LARGE_SPREAD:
        return _("Opinions differ somewhat.")
    return _("Opinions differ widely: worth talking about.")
