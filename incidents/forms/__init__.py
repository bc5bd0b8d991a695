"""Forms of the incidents app, one module per concern: ``intake``, ``handling`` and ``filters``; the generic
multi-file upload field is ``core.forms.MultipleFileField``."""
