"""Stop reading an upload as soon as it passes a size limit.

Django writes an upload to a temporary file before a form can look at its size; this
handler, put first for an upload view, drops the file once it passes the limit, so an
enormous upload never reaches the disk, and marks the request so that the form can say why.
"""

from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class UploadLimit(FileUploadHandler):
    def __init__(self, request=None, *, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.upload_too_large = True
            # Read and discard the rest of the request instead of resetting the
            # connection, so the browser gets the page that explains.
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None
