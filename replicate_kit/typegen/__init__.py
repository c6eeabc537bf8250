"""``replicate-kit gen-types``: typed inputs and outputs per model, from each version's Cog schema.

Nothing here is imported by ``import replicate_kit``; generated client modules import only
:mod:`replicate_kit.typegen.options` at run time.
"""
