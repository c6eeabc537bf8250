"""A predictor whose setup() fails (the mock must say so when it is registered)."""

from cog import BasePredictor


class Predictor(BasePredictor):
    def setup(self) -> None:
        raise OSError("weights.bin not found")

    def predict(self, text: str) -> str:
        return text
