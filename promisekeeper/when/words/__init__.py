"""The time language's words: `en` is the vocabulary the grammar reads (its words, units,
limits and patterns); `it`, `hu` and `sv` are data that `native` turns into those words.
Importing this package imports nothing."""
