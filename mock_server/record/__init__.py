"""Record real API traffic into a cassette folder and replay it on the mock's virtual clock.

- `redact`: what never reaches the disk (tokens, Authorization, webhook secrets, signed URLs);
- `cassette`: the on-disk format (versioned, plain YAML, one file per recording);
- `recorder`: the recording proxy behind ``replicate-mock record``;
- `replay`: cassette entries compiled into runner plans and served as catalogue models;
- `missing`: ``--record-missing``, which forwards what no recording answers and appends it.
"""
