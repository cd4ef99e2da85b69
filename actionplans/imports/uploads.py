"""The import view's upload limit (inspections.uploads), at PLAN_IMPORT_MAX_UPLOAD_BYTES."""

from django.conf import settings

from inspections.uploads import UploadLimit


class UploadTooLarge(UploadLimit):
    def __init__(self, request=None):
        super().__init__(request, limit=settings.PLAN_IMPORT_MAX_UPLOAD_BYTES)
