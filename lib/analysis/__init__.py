"""Layer 2, analysis: the economics and statistics. Functions take frames and return frames; results meant for
the ledger are returned as tidy record frames (``lib.analysis.results.rows``). Imports only ``lib.inputs``."""
