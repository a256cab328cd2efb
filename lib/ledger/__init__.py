"""Layer 3, ledger: the results ledger (``ledger.record``, ``ledger.record_frame``), the comparison with the
published values, the claims and the results dictionary. Imports ``lib.inputs`` and ``lib.analysis``."""
