# Meeting-evaluation participations get a random key and are rewritten in random order (issue 7).
# Django cannot turn an integer key into a UUID in place on PostgreSQL, so the table is made
# again: the (meeting, person) pairs wait in a scratch table without foreign keys meanwhile.

import random
import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _copy(source: str, target: str):
    def copy(apps, schema_editor):
        source_model = apps.get_model("casework", source)
        target_model = apps.get_model("casework", target)
        pairs = list(source_model.objects.values_list("meeting_id", "user_id"))
        # Random order, so the new rows do not keep the order in which people answered.
        random.SystemRandom().shuffle(pairs)
        target_model.objects.bulk_create(
            [target_model(meeting_id=meeting_id, user_id=user_id) for meeting_id, user_id in pairs]
        )

    return copy


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0004_meeting_evaluation"),
        ("meetings", "0004_meeting_cancelled"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="MeetingEvaluationParticipationScratch",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("meeting_id", models.BigIntegerField()),
                ("user_id", models.BigIntegerField()),
            ],
        ),
        migrations.RunPython(
            _copy("MeetingEvaluationParticipation", "MeetingEvaluationParticipationScratch"),
            _copy("MeetingEvaluationParticipationScratch", "MeetingEvaluationParticipation"),
        ),
        migrations.DeleteModel(name="MeetingEvaluationParticipation"),
        migrations.CreateModel(
            name="MeetingEvaluationParticipation",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="evaluation_participations",
                        to="meetings.meeting",
                        verbose_name="meeting",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="member",
                    ),
                ),
            ],
            options={
                "verbose_name": "meeting evaluation participation",
                "verbose_name_plural": "meeting evaluation participations",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("meeting", "user"), name="meeting_evaluation_participation_once"
                    )
                ],
            },
        ),
        migrations.RunPython(
            _copy("MeetingEvaluationParticipationScratch", "MeetingEvaluationParticipation"),
            _copy("MeetingEvaluationParticipation", "MeetingEvaluationParticipationScratch"),
        ),
        migrations.DeleteModel(name="MeetingEvaluationParticipationScratch"),
    ]
