# The site's pages point at the site's own image model (home.SiteImage) from now on.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('home', '0006_copy_images_to_site_image'),
    ]

    operations = [
        migrations.AlterField(
            model_name='contentpage',
            name='listing_image',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='home.siteimage', verbose_name='afbeelding in overzichten'),
        ),
        migrations.AlterField(
            model_name='contentpage',
            name='social_image',
            field=models.ForeignKey(blank=True, help_text='Getoond als iemand deze pagina deelt op sociale media of in een chat.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='home.siteimage', verbose_name='afbeelding bij delen'),
        ),
        migrations.AlterField(
            model_name='formpage',
            name='listing_image',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='home.siteimage', verbose_name='afbeelding in overzichten'),
        ),
        migrations.AlterField(
            model_name='formpage',
            name='social_image',
            field=models.ForeignKey(blank=True, help_text='Getoond als iemand deze pagina deelt op sociale media of in een chat.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='home.siteimage', verbose_name='afbeelding bij delen'),
        ),
        migrations.AlterField(
            model_name='homepage',
            name='listing_image',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='home.siteimage', verbose_name='afbeelding in overzichten'),
        ),
        migrations.AlterField(
            model_name='homepage',
            name='social_image',
            field=models.ForeignKey(blank=True, help_text='Getoond als iemand deze pagina deelt op sociale media of in een chat.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='home.siteimage', verbose_name='afbeelding bij delen'),
        ),
        migrations.AlterField(
            model_name='stadsdorpindexpage',
            name='listing_image',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='home.siteimage', verbose_name='afbeelding in overzichten'),
        ),
        migrations.AlterField(
            model_name='stadsdorpindexpage',
            name='social_image',
            field=models.ForeignKey(blank=True, help_text='Getoond als iemand deze pagina deelt op sociale media of in een chat.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='home.siteimage', verbose_name='afbeelding bij delen'),
        ),
        migrations.AlterField(
            model_name='stadsdorppage',
            name='image',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='home.siteimage', verbose_name='afbeelding'),
        ),
        migrations.AlterField(
            model_name='stadsdorppage',
            name='listing_image',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='home.siteimage', verbose_name='afbeelding in overzichten'),
        ),
        migrations.AlterField(
            model_name='stadsdorppage',
            name='social_image',
            field=models.ForeignKey(blank=True, help_text='Getoond als iemand deze pagina deelt op sociale media of in een chat.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='home.siteimage', verbose_name='afbeelding bij delen'),
        ),
    ]
