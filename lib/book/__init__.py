"""Layer 5, book: the Sphinx extension (input checks, execution, glued tables, numbering, downloads), the
editions and translations, the PDF layout. The only layer that imports Sphinx, docutils and myst-nb internals."""
