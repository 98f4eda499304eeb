# The member's address in parts (street, postcode, place), the one copy from now on. The old
# one-line field and the membership's copy are merged into these by membership 0005.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("members_area", "0003_introduction_mixin"),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="street_address",
            field=models.CharField(
                blank=True,
                help_text="Niet verplicht.",
                max_length=200,
                verbose_name="straat en huisnummer",
            ),
        ),
        migrations.AddField(
            model_name="member",
            name="postcode",
            field=models.CharField(
                blank=True,
                db_index=True,
                help_text="Bijvoorbeeld 1097 AB.",
                max_length=7,
                verbose_name="postcode",
            ),
        ),
        migrations.AddField(
            model_name="member",
            name="city",
            field=models.CharField(blank=True, max_length=100, verbose_name="woonplaats"),
        ),
    ]
