"""Analysis of stored facts: the relationship between two sides (timeline, balance, figures, voices,
delegations, actors). It reads the store (`facts`, the only module with SQL) and never re-extracts."""
