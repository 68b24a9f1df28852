"""The persona names of tests/conftest.py, grouped the way role tests need them."""

PERSONAS = [
    "participant",
    "teacher_leader",
    "development_team",
    "team_leader",
    "school_admin",
    "expert",
    "other_plg_member",
    "other_school_user",
    "anonymous",
]
SIGNED_IN = [name for name in PERSONAS if name != "anonymous"]
# Who sees world.community: its members (an expert too), its team's leader, the school admin.
SEES_PLG = {"participant", "teacher_leader", "development_team", "team_leader", "school_admin",
            "expert"}  # fmt: skip
# Who plans, moves and assigns: the PLG's teacher leaders and the school admins.
PLANS = {"teacher_leader", "school_admin"}
OUTSIDERS = ["other_plg_member", "other_school_user"]
