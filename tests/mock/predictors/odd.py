"""Predictors that misbehave in ways the mock must turn into failed predictions, not errors."""

import sys
import threading

from cog import BasePredictor, Path


def huge(x: int = 1) -> int:
    return 2**80


def exits(x: int = 1) -> str:
    sys.exit(3)


class ExitsInSetup(BasePredictor):
    def setup(self) -> None:
        raise SystemExit("no GPU")

    def predict(self, x: int = 1) -> str:
        return "never"


def echo_file(image: Path) -> str:
    return image.name


# Set by the thread-safety test: the predictor pauses until another thread has printed.
STARTED = threading.Event()
RESUME = threading.Event()


def waits(x: int = 1) -> str:
    STARTED.set()
    RESUME.wait(10)
    print("from the predictor")
    return "ok"
