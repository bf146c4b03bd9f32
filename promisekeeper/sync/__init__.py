"""Calendar sync: open promises as VTODOs with alarms, pushed to a CalDAV task list or a vdir.

`tasks` decides what a calendar must receive (each promise's VTODO, built by the export's
own rule in `exchange`, against what the calendar last received); `caldav_list` and `vdir`
put it there. On the ledger's floor: it records through the data package and prints
nothing. What the server changes is not pulled back.
"""
