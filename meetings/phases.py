"""The one glossary of the meeting protocol: phases 0-6, their aims and guiding questions.

The agenda, the printable phase card and (later) the facilitation screen all read from here.
The wording is our own, after the phase descriptions in the PLG handbooks.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Phase(models.IntegerChoices):
    THEME = 0, _("Phase 0: introducing the theme")
    CASE = 1, _("Phase 1: introducing the work case")
    UNDERSTANDING = 2, _("Phase 2: forming a picture")
    INSIGHTS = 3, _("Phase 3: new insights")
    LOOKING_BACK = 4, _("Phase 4: looking back")
    NEXT_STEPS = 5, _("Phase 5: acting from now on")
    CLOSING = 6, _("Phase 6: closing the theme")


# Phases 1-5 run in small groups; phases 0 and 6 with the whole PLG.
SMALL_GROUP_PHASES = (Phase.CASE, Phase.UNDERSTANDING, Phase.INSIGHTS, Phase.LOOKING_BACK,
                      Phase.NEXT_STEPS)  # fmt: skip

# Default time boxes in minutes for a meeting of 150 minutes; other lengths scale from these.
DEFAULT_MINUTES = {
    Phase.THEME: 25,
    Phase.CASE: 10,
    Phase.UNDERSTANDING: 20,
    Phase.INSIGHTS: 35,
    Phase.LOOKING_BACK: 20,
    Phase.NEXT_STEPS: 20,
    Phase.CLOSING: 20,
}


@dataclass(frozen=True)
class PhaseGuide:
    phase: Phase
    aim: Promise
    questions: tuple[Promise, ...]
    whole_group: bool


GUIDES = {
    Phase.THEME: PhaseGuide(
        Phase.THEME,
        _(
            "Open the meeting together and bring the theme to life: a guest speaker, a "
            "documentary, an article, a colleague's presentation or a workshop."
        ),
        (
            _("What does this theme mean in our own lessons?"),
            _("What surprised you, and what do you recognise?"),
        ),
        True,
    ),
    Phase.CASE: PhaseGuide(
        Phase.CASE,
        _(
            "In each small group one member, the presenter, brings in a recent and recognisable "
            "situation from their work and says what they want to find out."
        ),
        (
            _("What happened, in a few sentences?"),
            _("What is your question to the group?"),
            _("What would you like to see happen instead?"),
        ),
        False,
    ),
    Phase.UNDERSTANDING: PhaseGuide(
        Phase.UNDERSTANDING,
        _(
            "The group asks open questions to understand the situation, listens and sums up. "
            "No advice and no judgement yet. The group chooses which part to dig into."
        ),
        (
            _("Can you tell a little more about that moment?"),
            _("What did you think and feel then?"),
            _("Which part of the case shall we look at more closely?"),
        ),
        False,
    ),
    Phase.INSIGHTS: PhaseGuide(
        Phase.INSIGHTS,
        _(
            "Look at the core question from every side with reflective questions, put the "
            "question into new words, and give advice. The presenter says what they learned."
        ),
        (
            _("How would you put the question now?"),
            _("What advice do you have for the presenter?"),
            _("Is your question still the same?"),
        ),
        False,
    ),
    Phase.LOOKING_BACK: PhaseGuide(
        Phase.LOOKING_BACK,
        _(
            "Everyone links the case to their own practice and the group names a shared theme. "
            "The presenter places the case on a scale from 0 to 10."
        ),
        (
            _("Where do you recognise this in your own work?"),
            _("Where are you now on a scale of 0 to 10?"),
            _("What would one step higher look like?"),
        ),
        False,
    ),
    Phase.NEXT_STEPS: PhaseGuide(
        Phase.NEXT_STEPS,
        _(
            "The presenter says what they can use and names a first small step. Every member "
            "names what they take with them."
        ),
        (
            _("What is the first small step you will take?"),
            _("What did you learn today?"),
            _("How did this way of working suit you, and what is still on your mind?"),
        ),
        False,
    ),
    Phase.CLOSING: PhaseGuide(
        Phase.CLOSING,
        _(
            "Close the theme together with a round or a short evaluation, and name the theme, "
            "date and time of the next meeting."
        ),
        (
            _("What went well today?"),
            _("What do we do better next time?"),
            _("What is the next theme, and when do we meet?"),
        ),
        True,
    ),
}


def default_minutes(total_minutes: int) -> dict[Phase, int]:
    """Scale the default time boxes to a meeting's length; the boxes add up to it exactly."""
    base = sum(DEFAULT_MINUTES.values())
    minutes = {phase: DEFAULT_MINUTES[phase] * total_minutes // base for phase in Phase}
    # Whatever rounding left over goes to the longest phase, the heart of the case work.
    minutes[Phase.INSIGHTS] += total_minutes - sum(minutes.values())
    return minutes
