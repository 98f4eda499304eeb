"""Static files as WhiteNoise stores them in production, with each file's address remembered.

Every page asks for five to seven addresses (``{% static %}``: the style sheets, the icon), and
each asked the manifest, cleaned the name and joined it to ``STATIC_URL`` again: about a tenth of
a millisecond of a member's page. The manifest is read once when a worker starts and cannot
change while it runs (``collectstatic`` comes with a restart), so neither can an address.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._addresses = {}

    def url(self, name, force=False):
        if force:  # the hashed address even with DEBUG on: asked rarely, not remembered
            return super().url(name, force=force)
        address = self._addresses.get(name)
        if address is None:
            address = super().url(name)
            self._addresses[name] = address
        return address
