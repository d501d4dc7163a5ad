"""Single source of the package version (read by hatchling and by reports)."""

__version__ = "0.6.0"
#: Where people read about the tool (SARIF's ``informationUri``); the package's index page
#: until the project publishes a home page of its own.
INFORMATION_URI = "https://pypi.org/project/asw-validator/"
