"""Push: reminders sent to phones and chats through Apprise URLs (ntfy, Teams, Slack, Matrix…).

Which URLs and quiet hours (`targets`, `quiet`), how one message reaches one URL (`transport`:
Apprise, imported only when there is something to send), and each reminder's delivery per
URL, recorded, claimed, retried and reported on change (`deliveries`). On the ledger's floor:
it writes through the data package and prints nothing; `remind` says what the messages read.
"""
