"""promisekeeper: keep the "I'll get back to you" promises made to customers."""

__version__ = "0.1.0"
