"""In-app notifications: sending (:mod:`.services`) and reading (:mod:`.selectors`)."""
