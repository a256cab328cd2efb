"""Layer 4, presentation: number formatting, the house style of charts, maps, diagrams, the chapters' tables and
figures, comparison tables for readers. Imports the layers below, never ``lib.book``."""
