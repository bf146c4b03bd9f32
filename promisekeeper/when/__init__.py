"""The time language: "tomorrow 10am", "in 4 bh", "fri 3pm Europe/Rome" read into moments,
and moments written as a person reads them.

- `words/` holds the vocabulary (`en`) and each other language's words (`it`, `hu`, `sv`),
  which `native` turns into the vocabulary's words;
- `grammar` reads a phrase into its shape; `examples` writes the forms that work, for refusals;
- `resolve` gives a shape its moment from now, the zone and the business `calendar`;
- `clock` is the one source of "now" and of the local zone; `zones` reads zone names as
  people type them; `timefmt` writes moments and distances ("Tue 24 Nov 10:00", "in 10h").

It may import the languages (`promisekeeper.lang`), `limits`, `years`, `errors` and
`sanitize`; nothing here reads the settings or the database. Importing this package imports
nothing: the prompt's path takes `clock` alone.
"""
