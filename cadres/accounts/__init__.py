"""Accounts: users and their roles, sign-in, activation codes and two-factor
sign-in.

- :mod:`.backends` — the ways to sign in (username, phone, email), with the
  signed-in user read from the cache;
- :mod:`.logins` — what was typed in the sign-in box, as one canonical login;
- :mod:`.adapters`, :mod:`.forms` — allauth's adapter and login form, and the
  activation form;
- :mod:`.middleware` — Wagtail's login sent to allauth's, two-factor
  enrolment by role, sign-in refused while the cache cannot count;
- :mod:`.roles` — role → group mapping;
- :mod:`.services` — role changes and activation codes (set, redeem);
- :mod:`.admin_users` — Wagtail's user editor, role-aware;
- :mod:`.views`, :mod:`.urls` — activation and the user's own pages.
"""
