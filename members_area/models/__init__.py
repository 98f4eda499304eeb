"""The member area: binnenbuurten, member profiles and the pages only members may see.

Split like ``home/models/``: the data (``members``) apart from the page types (``pages``);
everything is re-exported here so ``from members_area.models import X`` keeps working. The page
types import no views, dashboard or posting code: see ``MembersAreaConfig.ready()``.
"""

from .members import (
    AccountRemovalRequest,
    Binnenbuurt,
    LoginCode,
    Member,
    StadsdorpMemberSettings,
)
from .pages import BinnenbuurtNewsPage, BinnenbuurtPage, MembersAreaPage, NewsAttachment

__all__ = [
    "AccountRemovalRequest",
    "Binnenbuurt",
    "BinnenbuurtNewsPage",
    "BinnenbuurtPage",
    "LoginCode",
    "Member",
    "MembersAreaPage",
    "NewsAttachment",
    "StadsdorpMemberSettings",
]
