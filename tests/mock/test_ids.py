"""Ids read from outputs drawn ahead are the ids drawing one character at a time gave."""

from __future__ import annotations

import random

import pytest

from mock_server.engine.ids import BASE32, IdGenerator


class _OneAtATime:
    """How the mock made ids before it drew ahead: one ``choice`` per character."""

    def __init__(self, seed: int, stream: int = 0) -> None:
        key = f"replicate-mock-ids:{seed}" if stream == 0 else f"replicate-mock-ids:{seed}:{stream}"
        self._rng = random.Random(key)

    def opaque(self, length: int) -> str:
        return "".join(self._rng.choice(BASE32) for _ in range(length))

    def integer(self, upper: int) -> int:
        return self._rng.randrange(upper)


@pytest.mark.parametrize("seed", [0, 1, 7, 12345])
@pytest.mark.parametrize("stream", [0, 1])
def test_ids_and_integers_are_those_drawn_one_at_a_time(seed: int, stream: int) -> None:
    ours, reference = IdGenerator(seed, stream), _OneAtATime(seed, stream)
    script = random.Random(f"{seed}:{stream}")
    lengths = [26, 26, 26, 32, 1, 0, 5, 300, 5000]  # 5000: more than one refill at once
    uppers = [2**31, 2**31, 1, 2, 3, 10, 2**32, 2**32 + 1, 2**33 - 1, 2**64, 10**30]
    for _ in range(4000):
        if script.random() < 0.6:
            length = script.choice(lengths)
            assert ours.opaque(length) == reference.opaque(length), length
        else:
            upper = script.choice(uppers)
            assert ours.integer(upper) == reference.integer(upper), upper


def test_an_object_id_has_the_shape_of_a_real_one() -> None:
    made = [IdGenerator(3).object_id() for _ in range(3)]
    assert len(set(made)) == 1  # a fresh generator of a seed starts over
    ids = IdGenerator(3)
    assert len({ids.object_id() for _ in range(1000)}) == 1000
    assert all(len(i) == 26 and set(i) <= set(BASE32) for i in made)
    with pytest.raises(ValueError):
        ids.integer(0)
