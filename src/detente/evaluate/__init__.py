"""Measured quality: gold annotations of the development texts, matching rules, per-layer scores, PLOVER.

`gold` loads and checks the annotations (eval/GOLD_FORMAT.md), `match` holds
the rules that pair a gold record with an extracted one, `score` counts
precision, recall and F1 per layer, and `plover` scores the PLOVER
development sentences by the corpus README's rule.
"""
