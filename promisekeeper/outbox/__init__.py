"""The outbox: notices to customers, written with the change they report and sent after its
commit. `compose` and `templates` make a notice's words in the customer's language;
`queue` writes, claims and settles notices under the writers' lock; `headers` makes the
mail; `transports` hand it to an SMTP server, a sendmail or a drafts folder; `send` runs a
delivery. It stands on the ledger's floor (the ledger queues through it) and imports no
views and no command line; `email` and `smtplib` load only where a notice is sent.
"""
