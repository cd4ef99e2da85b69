"""Signals the inspections send for the layer above, which this one never imports.

Model signals tell the layer above about rows saved one at a time; these tell it about
rows written in bulk, which send none.
"""

from django.dispatch import Signal

# Sent (with `inspection`) inside the transaction that added findings to an inspection
# in bulk: its plans' PDFs list the findings.
findings_added = Signal()
