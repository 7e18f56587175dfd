from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0003_trainer_group"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="enrolment",
            index=models.Index(fields=["course", "cadre"], name="enrolment_course_cadre"),
        ),
    ]
