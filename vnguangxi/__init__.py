"""vnguangxi: look up the facts of cooperation between Vietnam's northern localities and Guangxi."""

__version__ = "0.1.0"
