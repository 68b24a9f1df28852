# Health-check participations get a random key and are rewritten in random order (issue 7).
# Django cannot turn an integer key into a UUID in place on PostgreSQL, so the table is made
# again: the (moment, person) pairs wait in a scratch table without foreign keys meanwhile.

import random
import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _copy(source: str, target: str):
    def copy(apps, schema_editor):
        source_model = apps.get_model("communities", source)
        target_model = apps.get_model("communities", target)
        pairs = list(source_model.objects.values_list("moment_id", "user_id"))
        # Random order, so the new rows do not keep the order in which people answered.
        random.SystemRandom().shuffle(pairs)
        target_model.objects.bulk_create(
            [target_model(moment_id=moment_id, user_id=user_id) for moment_id, user_id in pairs]
        )

    return copy


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0003_products_health_checks_teacher_leader_plg"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HealthCheckParticipationScratch",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("moment_id", models.BigIntegerField()),
                ("user_id", models.BigIntegerField()),
            ],
        ),
        migrations.RunPython(
            _copy("HealthCheckParticipation", "HealthCheckParticipationScratch"),
            _copy("HealthCheckParticipationScratch", "HealthCheckParticipation"),
        ),
        migrations.DeleteModel(name="HealthCheckParticipation"),
        migrations.CreateModel(
            name="HealthCheckParticipation",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                (
                    "moment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="participations",
                        to="communities.healthcheckmoment",
                        verbose_name="moment",
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
                "verbose_name": "health-check participation",
                "verbose_name_plural": "health-check participations",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("moment", "user"), name="health_participation_once"
                    )
                ],
            },
        ),
        migrations.RunPython(
            _copy("HealthCheckParticipationScratch", "HealthCheckParticipation"),
            _copy("HealthCheckParticipation", "HealthCheckParticipationScratch"),
        ),
        migrations.DeleteModel(name="HealthCheckParticipationScratch"),
    ]
