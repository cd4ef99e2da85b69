"""People and roles, in the app: who holds which role in an area, and how they get it.

- `models`: invitations (a single-use link that expires) and the append-only history
  of every role given, changed or taken away;
- `services`: the one writer of memberships from the app (invite, accept, change,
  remove), each in one transaction with its history row;
- `views`, `forms`, `urls`: a plan manager's "People" page for their area and the page
  where an invited person sets their password;
- `accounts`: signing in (the lockout message) and the idle session timeout.

Superusers create areas, agencies and the first plan manager in the admin.
"""
