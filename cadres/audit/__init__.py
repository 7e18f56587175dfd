"""The audit log: writing events (:mod:`.services`), who reads them
(:mod:`.selectors`) and how they read for people (:mod:`.labels`)."""

from .labels import action_choices, action_label, audit_time, event_details

__all__ = ["action_choices", "action_label", "audit_time", "event_details"]
