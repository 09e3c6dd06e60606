"""The import wizard: pick a file → preview it → match its columns → check every row → import.

The work is :mod:`rpdesk.services.import_dispatch` (preview, the dry run that writes nothing, the
import) and :mod:`rpdesk.services.import_mapping` (what a column or an answer can become, saved
mappings); this package holds only the pages, one module per step. The import step runs in a child
process through the shell's task runner; Cancel makes the service's ``check()`` raise ``Cancelled``
and its one transaction is rolled back, so nothing is ever half-imported.
"""

from rpdesk.services.import_dispatch import Outcome

from rpdesk.gui.dialogs.import_wizard.wizard import ImportWizard

__all__ = ["ImportWizard", "Outcome"]
