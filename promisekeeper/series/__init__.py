"""Series of check-ins ("I'll update you every weekday at 10 until it's fixed").

- `words` holds how each language says "every" (the rest is the time language's);
- `rule` reads a phrase after `--every` into a Rule, through the time language's grammar;
- `slots` says when the n-th check-in falls, in the series' zone, on the business calendar;
- `keeping` opens, closes and catches up check-ins in the caller's transaction.

On the ledger's floor: the ledger may import it; it never imports the ledger, the views or
the command line.
"""
