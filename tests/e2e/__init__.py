"""Browser journeys; the logins below come from `manage.py seed_demo`."""

DEMO_PASSWORD = "plg-demo-2026"
DEMO_TEACHER_LEADER = "teacherleader@demo.plg.nl"
DEMO_PLG = "PLG Taal in alle vakken"
