"""Languages: which one a person reads and its words through gettext (`i18n`, over the
catalogues in `locale/`), pk's own words for its kinds of things (`vocabulary`), day and
month names from CLDR (`cldr`), names in the order a reader expects (`collation`) and text
folded for matching (`folding`).

The ground floor: it imports nothing of promisekeeper's outside this package, and only the
standard library. Importing this package imports nothing.
"""
