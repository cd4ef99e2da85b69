"""Uploads waiting for the user's "Confirm", between the preview and the write.

- `store`: the waiting file, kept with Django's storage (on disk or in the S3-compatible
  bucket every app server shares) under a random token held in the user's session;
- `models`: one row per waiting upload, whose claim on "Confirm" is a conditional UPDATE
  in the database, so that whichever app server gets the confirm, one request writes.

Both "import a plan from Word" (actionplans.imports) and "add an inspection from its
letter" (inspections.letters) wait here.
"""

from .store import PendingFile, PendingStore, remove_expired

__all__ = ["PendingFile", "PendingStore", "remove_expired"]
