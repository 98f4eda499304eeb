# The one-line address is gone: its content was merged into street, postcode and place by
# membership 0005 (which must run first).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("members_area", "0004_member_address_parts"),
        ("membership", "0005_one_address"),
    ]

    operations = [
        migrations.RemoveField(model_name="member", name="address"),
    ]
