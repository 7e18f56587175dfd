"""The one ReportLab base every PDF of the platform is drawn on: certificates,
report exports, sign-in sheets and session reports.

It lives in the project package, not in an app, because three apps at
different places in the one-way order (trainings → certificates → reports)
print PDFs: a base inside any one of them would make the others import
sideways or upwards. ``config`` is imported by every app already and belongs
to none; this package imports from the apps only ``cadres.text`` (the lowest
app, for NFC), which never imports back.
"""
