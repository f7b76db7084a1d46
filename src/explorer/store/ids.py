"""Typed ids: text ids that stay stable across dataset releases, so annotations keep pointing
at the right rows."""

from typing import NewType

EventId = NewType("EventId", str)
EntityId = NewType("EntityId", str)
SourceId = NewType("SourceId", str)
ClaimId = NewType("ClaimId", str)
StatementId = NewType("StatementId", str)
