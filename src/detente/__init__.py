"""détente: a cited, structured picture of relations between states, read from news."""

__version__ = "0.1.0"
