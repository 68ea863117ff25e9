"""What the command line is made of besides its parser: words, file shapes and progress."""

from cse_programme._cli._progress import LONG_INPUT, Progress
from cse_programme._cli._shapes import Holds, of_document, of_value, peek
from cse_programme._cli._words import choice, did_you_mean, suggestions

__all__ = [
    "LONG_INPUT",
    "Holds",
    "Progress",
    "choice",
    "did_you_mean",
    "of_document",
    "of_value",
    "peek",
    "suggestions",
]
