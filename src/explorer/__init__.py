"""Explorer: a desktop timeline and entity explorer for researchers."""

__version__ = "0.1.0"
