"""What shell completion knows of the command line: commands, options, arguments.

Generated from the CLI's declarations by scripts/completion-spec; do not edit (a test
checks it is up to date). Read by `promisekeeper.cli.completion.answer` without loading the CLI.
"""

TREE = {'help': 'Keep the promises you make to customers: log them, see them, keep them.',
 'options': {'--version': (None, 'Print the version.'),
             '--color': ('auto|always|never',
                         'Colour the output: auto (on a terminal, unless NO_COLOR), always or '
                         'never.'),
             '--owner': ('NAME',
                         "One colleague's promises instead of yours (the name as you would say it: "
                         'case and accents do not matter).'),
             '--team': (None, "Everyone's promises, each naming its owner."),
             '--help': (None, 'Show this message and exit.'),
             '-h': (None, 'Show this message and exit.')},
 'arguments': [],
 'commands': {'add': {'help': 'Log a promise: what, to whom, and by when; with --every, a series '
                              'of check-ins.',
                      'options': {'--to': ('WHO', 'Who it was promised to.'),
                                  '--contact': ('PHONE_OR_EMAIL',
                                                'Their phone number or email; twice for both.'),
                                  '--via': ('CHANNEL', 'Channel: phone, email, chat, desk…'),
                                  '--ref': ('TICKET', 'Ticket reference, e.g. INC-4821.'),
                                  '--tag': ('TAG', 'A tag (repeatable).'),
                                  '-t': ('TAG', 'A tag (repeatable).'),
                                  '--due': ('WHEN',
                                            'When, e.g. "tomorrow 10am", "in 2h", "fri 3pm '
                                            'Europe/Rome" (all of it: `pk help when`). Default: '
                                            'eod.'),
                                  '--owner': ('NAME',
                                              'Who owns it (default: config owner, else your '
                                              'login).'),
                                  '--new-owner': (None,
                                                  'NAME only looks like an owner here: it is '
                                                  'someone else, add it all the same.'),
                                  '--lang': ('CODE',
                                             "The customer's language for notices: en, it, hu or "
                                             'sv (default: customer.language).'),
                                  '--no-tell': (None,
                                                'Tell the customer by mail (default: the '
                                                'tell.default setting).'),
                                  '--tell': (None,
                                             'Tell the customer by mail (default: the tell.default '
                                             'setting).'),
                                  '--json': (None, 'Print the promise as JSON instead.'),
                                  '--dry-run': (None,
                                                'Show what would be logged (with --tell: the mail '
                                                'too); save nothing.'),
                                  '--every': ('PHRASE',
                                              'A series of check-ins, e.g. "weekday 10:00", '
                                              '"mon,thu 16:00", "2h", "4 business hours" (see `pk '
                                              'help when`).'),
                                  '--until': ('WHEN',
                                              'With --every: when the series ends (read forward, '
                                              'e.g. fri 17:00).'),
                                  '--after-done': (None,
                                                   'With --every: count each next check-in from '
                                                   'when the last one was kept.'),
                                  '--help': (None, 'Show this message and exit.'),
                                  '-h': (None, 'Show this message and exit.')},
                      'arguments': [('WHAT', True)],
                      'commands': {}},
              'done': {'help': 'Mark a promise kept (on time or late is worked out from the '
                               'clock); a check-in opens the next.',
                       'options': {'--note': ('TEXT', 'A closing note, e.g. what was sent.'),
                                   '--final': (None, 'A check-in: the last one; its series ends.'),
                                   '--no-tell': (None,
                                                 'Tell the customer by mail (default: the '
                                                 'tell.default setting).'),
                                   '--tell': (None,
                                              'Tell the customer by mail (default: the '
                                              'tell.default setting).'),
                                   '--dry-run': (None,
                                                 'With --tell: print the mail it would send; '
                                                 'change nothing.'),
                                   '--help': (None, 'Show this message and exit.'),
                                   '-h': (None, 'Show this message and exit.')},
                       'arguments': [('ID', False)],
                       'commands': {}},
              'skip': {'help': 'Release one check-in of a series, with a reason; the series goes '
                               'on with the next.',
                       'options': {'--reason': ('TEXT', 'Why this check-in is skipped (required).'),
                                   '--help': (None, 'Show this message and exit.'),
                                   '-h': (None, 'Show this message and exit.')},
                       'arguments': [('ID', False)],
                       'commands': {}},
              'reschedule': {'help': 'Renegotiate a deadline, with a reason.',
                             'options': {'--reason': ('TEXT', 'Why it moves (required).'),
                                         '--no-tell': (None,
                                                       'Tell the customer by mail (default: the '
                                                       'tell.default setting).'),
                                         '--tell': (None,
                                                    'Tell the customer by mail (default: the '
                                                    'tell.default setting).'),
                                         '--dry-run': (None,
                                                       'With --tell: print the mail it would send; '
                                                       'change nothing.'),
                                         '--help': (None, 'Show this message and exit.'),
                                         '-h': (None, 'Show this message and exit.')},
                             'arguments': [('ID', False), ('WHEN', True)],
                             'commands': {}},
              'cancel': {'help': 'Release a promise the customer no longer needs, with a reason.',
                         'options': {'--reason': ('TEXT', 'Why it is released (required).'),
                                     '--no-tell': (None,
                                                   'Tell the customer by mail (default: the '
                                                   'tell.default setting).'),
                                     '--tell': (None,
                                                'Tell the customer by mail (default: the '
                                                'tell.default setting).'),
                                     '--dry-run': (None,
                                                   'With --tell: print the mail it would send; '
                                                   'change nothing.'),
                                     '--help': (None, 'Show this message and exit.'),
                                     '-h': (None, 'Show this message and exit.')},
                         'arguments': [('ID', False)],
                         'commands': {}},
              'reopen': {'help': 'Bring a kept or released promise back, with its deadline as it '
                                 'was.',
                         'options': {'--help': (None, 'Show this message and exit.'),
                                     '-h': (None, 'Show this message and exit.')},
                         'arguments': [('ID', False)],
                         'commands': {}},
              'edit': {'help': "Change a promise's details (not its deadline: that is `pk "
                               'reschedule`).',
                       'options': {'--what': ('TEXT', 'New text of the promise.'),
                                   '--to': ('WHO', 'Who it was promised to.'),
                                   '--contact': ('PHONE_OR_EMAIL',
                                                 'Their phone number or email: replaces the one of '
                                                 'its kind; twice for both.'),
                                   '--via': ('CHANNEL', 'Channel.'),
                                   '--lang': ('CODE', "The customer's language: en, it, hu or sv."),
                                   '--ref': ('TICKET', 'Ticket reference.'),
                                   '--tag': ('TAG', 'Replace the tags (repeatable).'),
                                   '-t': ('TAG', 'Replace the tags (repeatable).'),
                                   '--add-tag': ('TAG', 'Add a tag.'),
                                   '--remove-tag': ('TAG', 'Remove a tag.'),
                                   '--every': ('PHRASE',
                                               'A check-in: a new rule for the check-ins still to '
                                               'come.'),
                                   '--help': (None, 'Show this message and exit.'),
                                   '-h': (None, 'Show this message and exit.')},
                       'arguments': [('ID', False)],
                       'commands': {}},
              'handoff': {'help': 'Pass an open promise to a colleague, with a reason; the '
                                  'deadline stands.',
                          'options': {'--to-owner': ('NAME',
                                                     'Who takes it over (as you would say the '
                                                     'name: case and accents do not matter).'),
                                      '--reason': ('TEXT', 'Why it changes hands (required).'),
                                      '--new-owner': (None,
                                                      'NAME has no promise here yet: hand it over '
                                                      'all the same.'),
                                      '--no-tell': (None,
                                                    'Tell the customer by mail (default: the '
                                                    'tell.default setting).'),
                                      '--tell': (None,
                                                 'Tell the customer by mail (default: the '
                                                 'tell.default setting).'),
                                      '--dry-run': (None,
                                                    'With --tell: print the mail it would send; '
                                                    'change nothing.'),
                                      '--help': (None, 'Show this message and exit.'),
                                      '-h': (None, 'Show this message and exit.')},
                          'arguments': [('ID', False)],
                          'commands': {}},
              'note': {'help': "Add a note to a promise's history.",
                       'options': {'--help': (None, 'Show this message and exit.'),
                                   '-h': (None, 'Show this message and exit.')},
                       'arguments': [('ID', False), ('TEXT', True)],
                       'commands': {}},
              'tried': {'help': 'Record a callback attempt that did not reach the customer (the '
                                'promise stays open).',
                        'options': {'--note': ('TEXT', 'What happened, e.g. "voicemail".'),
                                    '--no-tell': (None,
                                                  'Tell the customer by mail (default: the '
                                                  'tell.default setting).'),
                                    '--tell': (None,
                                               'Tell the customer by mail (default: the '
                                               'tell.default setting).'),
                                    '--dry-run': (None,
                                                  'With --tell: print the mail it would send; '
                                                  'change nothing.'),
                                    '--help': (None, 'Show this message and exit.'),
                                    '-h': (None, 'Show this message and exit.')},
                        'arguments': [('ID', False)],
                        'commands': {}},
              'undo': {'help': 'Revert your last change by recording its opposite; history keeps '
                               'both.',
                       'options': {'--list': (None,
                                              'Show what would be undone, newest first; change '
                                              'nothing.'),
                                   '--owner': ('NAME',
                                               "Take back NAME's last change instead of yours (on "
                                               'a shared database).'),
                                   '--event': ('N',
                                               'Take back this change, by its event number (pk '
                                               'undo --list shows them).'),
                                   '--help': (None, 'Show this message and exit.'),
                                   '-h': (None, 'Show this message and exit.')},
                       'arguments': [],
                       'commands': {}},
              'list': {'help': 'Filtered views of your promises (default: every open one, by '
                               'deadline).',
                       'options': {'--overdue': (None, 'Only those whose deadline has passed.'),
                                   '--today': (None, 'Due by midnight (overdue included).'),
                                   '--week': (None, 'Due within 7 days (overdue included).'),
                                   '--all': (None, 'Every promise, kept and released too.'),
                                   '--to': ('WHO', 'Whose name contains this.'),
                                   '--tag': ('TAG', 'Carrying this tag.'),
                                   '-t': ('TAG', 'Carrying this tag.'),
                                   '--ref': ('TICKET', 'With this ticket reference.'),
                                   '--at': ('WHEN',
                                            'Judge "overdue" and "today" as of this moment, e.g. '
                                            '"tomorrow 9am".'),
                                   '--owner': ('NAME',
                                               "One colleague's promises instead of yours (the "
                                               'name as you would say it: case and accents do not '
                                               'matter).'),
                                   '--team': (None, "Everyone's promises, each naming its owner."),
                                   '--json': (None, 'A JSON array (see README for the keys).'),
                                   '--series': (None,
                                                'The series of check-ins instead (running ones; '
                                                '--all: ended too).'),
                                   '--help': (None, 'Show this message and exit.'),
                                   '-h': (None, 'Show this message and exit.')},
                       'arguments': [],
                       'commands': {}},
              'show': {'help': 'One promise with its full history.',
                       'options': {'--json': (None, 'The promise and its events as JSON.'),
                                   '--help': (None, 'Show this message and exit.'),
                                   '-h': (None, 'Show this message and exit.')},
                       'arguments': [('ID', False)],
                       'commands': {}},
              'log': {'help': 'The event journal: every change, oldest first (the last 50 by '
                              'default).',
                      'options': {'--limit': ('N', 'How many of the most recent events (0 = all).'),
                                  '--json': (None, 'A JSON array of events.'),
                                  '--help': (None, 'Show this message and exit.'),
                                  '-h': (None, 'Show this message and exit.')},
                      'arguments': [('ID', False)],
                      'commands': {}},
              'search': {'help': 'Find promises by words in what, who, contact, ticket, tags, '
                                 'notes and reasons.',
                         'options': {'--open': (None,
                                                'Only open promises (default: kept and released '
                                                'too).'),
                                     '--owner': ('NAME',
                                                 "One colleague's promises instead of yours (the "
                                                 'name as you would say it: case and accents do '
                                                 'not matter).'),
                                     '--team': (None,
                                                "Everyone's promises, each naming its owner."),
                                     '--json': (None, 'A JSON array, as `pk list --json` prints.'),
                                     '--help': (None, 'Show this message and exit.'),
                                     '-h': (None, 'Show this message and exit.')},
                         'arguments': [('TEXT', True)],
                         'commands': {}},
              'when': {'help': 'Show how a time phrase is read: the moment on your clock and '
                               'theirs, the distance and the notes.',
                       'options': {'--since': (None,
                                               'Read it as --since and --until read it '
                                               '(backward).'),
                                   '--json': (None, 'A JSON object (see README for the keys).'),
                                   '--help': (None, 'Show this message and exit.'),
                                   '-h': (None, 'Show this message and exit.')},
                       'arguments': [('PHRASE', True)],
                       'commands': {}},
              'help': {'help': 'Help on a topic (`pk help when`: the time language) or on a '
                               'command.',
                       'options': {'--help': (None, 'Show this message and exit.'),
                                   '-h': (None, 'Show this message and exit.')},
                       'arguments': [('TOPIC', False)],
                       'commands': {}},
              'stats': {'help': 'Keep rate, lateness and renegotiations: kept, late, broken and '
                                'released promises.',
                        'options': {'--since': ('WHEN',
                                                'Outcomes decided from this moment, e.g. '
                                                '"2026-11-01", "last week", "4w ago".'),
                                    '--until': ('WHEN',
                                                '…and before this one (not included), e.g. "this '
                                                'week".'),
                                    '--by': ('week|who|via|tag|owner',
                                             'One row per week, person, channel, tag or owner.'),
                                    '--weeks': ('N',
                                                'How many weeks the trend chart shows (without '
                                                '--by).'),
                                    '--owner': ('NAME',
                                                "Count one colleague's outcomes instead of yours "
                                                '(on a shared database).'),
                                    '--team': (None, "Count everyone's outcomes."),
                                    '--json': (None, 'A JSON object (see README for the keys).'),
                                    '--help': (None, 'Show this message and exit.'),
                                    '-h': (None, 'Show this message and exit.')},
                        'arguments': [],
                        'commands': {}},
              'remind': {'help': 'What needs action now, each reminded once per stage; prints '
                                 'nothing when nothing does.',
                         'options': {'--within': ('DURATION',
                                                  'Lead time for "coming up", this run only '
                                                  '(default: remind.lead, 15m).'),
                                     '--json': (None, 'A JSON array of reminders ([] when none).'),
                                     '--notify': (None, 'Also show a desktop notification.'),
                                     '--digest': (None,
                                                  'Once a day, also what is still overdue; with '
                                                  "--team, the lead's digest: everyone's overdue "
                                                  'and due-today promises, by owner.'),
                                     '--owner': ('NAME',
                                                 "A colleague's promises, reminded as their own "
                                                 'run would (it counts as theirs).'),
                                     '--team': (None,
                                                "Everyone's promises, for the team: counted apart "
                                                "from each owner's own reminders."),
                                     '--dry-run': (None,
                                                   'Show what would be reminded; record nothing.'),
                                     '--exit-code': (None,
                                                     'Exit 0 if nothing was reminded, 10 if only '
                                                     'coming-up, 11 if any due/overdue, 12 if a '
                                                     'push was not delivered.'),
                                     '--help': (None, 'Show this message and exit.'),
                                     '-h': (None, 'Show this message and exit.')},
                         'arguments': [],
                         'commands': {}},
              'prompt': {'help': 'The prompt segment (⚑2 ◷3: 2 overdue, 3 more due today); nothing '
                                 'when all is well.',
                         'options': {'--format': ('FMT',
                                                  'A template of {overdue}, {today} (due later '
                                                  'today), {next_in} (e.g. 35m, 5h, 3d) and '
                                                  "{next_who}. Default: ⚑N ◷M, or the config's "
                                                  'prompt.format.'),
                                     '--ascii': (None, '!N ~M instead of ⚑N ◷M.'),
                                     '--no-ascii': (None, '!N ~M instead of ⚑N ◷M.'),
                                     '--color': (None,
                                                 'Red when something is overdue, else yellow '
                                                 '(default: config prompt.color).'),
                                     '--no-color': (None,
                                                    'Red when something is overdue, else yellow '
                                                    '(default: config prompt.color).'),
                                     '--shell': ('plain|bash|zsh|tmux',
                                                 'Where it is shown: escapes and colour codes for '
                                                 'that place.'),
                                     '--schedule': (None,
                                                    'Print the schedule the shell hooks read, from '
                                                    'now on.'),
                                     '--help': (None, 'Show this message and exit.'),
                                     '-h': (None, 'Show this message and exit.')},
                         'arguments': [],
                         'commands': {}},
              'init': {'help': 'Print a snippet that hooks pk in.',
                       'options': {'--env-only': (None,
                                                  'Shells: only keep $PROMISEKEEPER_SEGMENT '
                                                  'current; leave the prompt alone (for starship, '
                                                  'powerlevel10k or a prompt of your own).'),
                                   '--help': (None, 'Show this message and exit.'),
                                   '-h': (None, 'Show this message and exit.')},
                       'arguments': [('bash|zsh|fish|starship|tmux|cron|systemd', False)],
                       'commands': {}},
              'brief': {'help': 'What is overdue and due today, in a small panel; nothing when all '
                                'is well.',
                        'options': {'--once-a-day': (None,
                                                     'Only the first time each day, and mark the '
                                                     'day as shown (what the shell snippets run).'),
                                    '--owner': ('NAME',
                                                "One colleague's promises instead of yours (the "
                                                'name as you would say it: case and accents do not '
                                                'matter).'),
                                    '--team': (None, "Everyone's promises, each naming its owner."),
                                    '--help': (None, 'Show this message and exit.'),
                                    '-h': (None, 'Show this message and exit.')},
                        'arguments': [],
                        'commands': {}},
              'completion': {'help': 'Print a shell completion script: commands, options, promise '
                                     'numbers, names, tags.',
                             'options': {'--help': (None, 'Show this message and exit.'),
                                         '-h': (None, 'Show this message and exit.')},
                             'arguments': [('bash|zsh|fish', False)],
                             'commands': {}},
              'export': {'help': 'Write your promises out as JSON, CSV or iCalendar.',
                         'options': {'--format': ('json|csv|ics',
                                                  'json (with history), csv (promises only: no '
                                                  'moves, attempts or notes) or ics (iCalendar '
                                                  'to-dos).'),
                                     '-f': ('json|csv|ics',
                                            'json (with history), csv (promises only: no moves, '
                                            'attempts or notes) or ics (iCalendar to-dos).'),
                                     '--open': (None, 'Only open promises (default: all).'),
                                     '--output': ('FILE', 'Write to this file instead of stdout.'),
                                     '-o': ('FILE', 'Write to this file instead of stdout.'),
                                     '--help': (None, 'Show this message and exit.'),
                                     '-h': (None, 'Show this message and exit.')},
                         'arguments': [],
                         'commands': {}},
              'import': {'help': "Bring promises in from a pk export (JSON/CSV) or Taskwarrior's "
                                 '`task export`.',
                         'options': {'--format': ('auto|json|csv|taskwarrior',
                                                  'What the file holds (default: auto, worked out '
                                                  'from the file).'),
                                     '-f': ('auto|json|csv|taskwarrior',
                                            'What the file holds (default: auto, worked out from '
                                            'the file).'),
                                     '--dry-run': (None,
                                                   'Read and check everything; store nothing.'),
                                     '--help': (None, 'Show this message and exit.'),
                                     '-h': (None, 'Show this message and exit.')},
                         'arguments': [('FILE', False)],
                         'commands': {}},
              'notify': {'help': 'Push to phones and chats (Apprise URLs: notify.urls, '
                                 'notify.team_urls).',
                         'options': {'--help': (None, 'Show this message and exit.'),
                                     '-h': (None, 'Show this message and exit.')},
                         'arguments': [],
                         'commands': {'test': {'help': 'Send one test message to each push URL and '
                                                       'show what each answered (URLs masked).',
                                               'options': {'--help': (None,
                                                                      'Show this message and '
                                                                      'exit.'),
                                                           '-h': (None,
                                                                  'Show this message and exit.')},
                                               'arguments': [],
                                               'commands': {}}}},
              'sync': {'help': 'Put your open promises in a task list as VTODOs with alarms '
                               '(server changes are not pulled back).',
                       'options': {'--help': (None, 'Show this message and exit.'),
                                   '-h': (None, 'Show this message and exit.')},
                       'arguments': [],
                       'commands': {'caldav': {'help': 'Send each changed promise to the CalDAV '
                                                       'list caldav.url (password: '
                                                       'PROMISEKEEPER_CALDAV_PASSWORD or '
                                                       'caldav.password_command).',
                                               'options': {'--team': (None,
                                                                      "Everyone's open promises, "
                                                                      'not only yours.'),
                                                           '--quiet': (None,
                                                                       'Print nothing when all '
                                                                       'went well (for cron).'),
                                                           '-q': (None,
                                                                  'Print nothing when all went '
                                                                  'well (for cron).'),
                                                           '--help': (None,
                                                                      'Show this message and '
                                                                      'exit.'),
                                                           '-h': (None,
                                                                  'Show this message and exit.')},
                                               'arguments': [],
                                               'commands': {}},
                                    'vdir': {'help': 'Write each changed promise into DIR as '
                                                     '<uuid>.ics (for vdirsyncer, khal, todoman).',
                                             'options': {'--team': (None,
                                                                    "Everyone's open promises, not "
                                                                    'only yours.'),
                                                         '--quiet': (None,
                                                                     'Print nothing when all went '
                                                                     'well (for cron).'),
                                                         '-q': (None,
                                                                'Print nothing when all went well '
                                                                '(for cron).'),
                                                         '--help': (None,
                                                                    'Show this message and exit.'),
                                                         '-h': (None,
                                                                'Show this message and exit.')},
                                             'arguments': [('DIR', False)],
                                             'commands': {}}}},
              'config': {'help': 'Show and change settings (a TOML file at the XDG config path).',
                         'options': {'--json': (None, 'Settings as a JSON object.'),
                                     '--help': (None, 'Show this message and exit.'),
                                     '-h': (None, 'Show this message and exit.')},
                         'arguments': [],
                         'commands': {'get': {'help': "Print one setting's value.",
                                              'options': {'--help': (None,
                                                                     'Show this message and exit.'),
                                                          '-h': (None,
                                                                 'Show this message and exit.')},
                                              'arguments': [('KEY', False)],
                                              'commands': {}},
                                      'set': {'help': 'Change one setting (checked before it is '
                                                      'written).',
                                              'options': {'--help': (None,
                                                                     'Show this message and exit.'),
                                                          '-h': (None,
                                                                 'Show this message and exit.')},
                                              'arguments': [('KEY', False), ('VALUE', False)],
                                              'commands': {}},
                                      'unset': {'help': 'Forget a setting so its default applies '
                                                        'again.',
                                                'options': {'--help': (None,
                                                                       'Show this message and '
                                                                       'exit.'),
                                                            '-h': (None,
                                                                   'Show this message and exit.')},
                                                'arguments': [('KEY', False)],
                                                'commands': {}},
                                      'path': {'help': 'Print where the config file is (it may not '
                                                       'exist yet).',
                                               'options': {'--help': (None,
                                                                      'Show this message and '
                                                                      'exit.'),
                                                           '-h': (None,
                                                                  'Show this message and exit.')},
                                               'arguments': [],
                                               'commands': {}},
                                      'check': {'help': 'Check the settings and your notice '
                                                        'templates, and try the mail server '
                                                        '(nothing is sent).',
                                                'options': {'--help': (None,
                                                                       'Show this message and '
                                                                       'exit.'),
                                                            '-h': (None,
                                                                   'Show this message and exit.')},
                                                'arguments': [],
                                                'commands': {}}}},
              'db': {'help': 'The database: where it is, backups, restore, integrity check.',
                     'options': {'--help': (None, 'Show this message and exit.'),
                                 '-h': (None, 'Show this message and exit.')},
                     'arguments': [],
                     'commands': {'init': {'help': 'Make the database with its schema (pk add and '
                                                   'pk import make it too); says where.',
                                           'options': {'--help': (None,
                                                                  'Show this message and exit.'),
                                                       '-h': (None, 'Show this message and exit.')},
                                           'arguments': [],
                                           'commands': {}},
                                  'upgrade': {'help': 'Bring the schema up to date (on a shared '
                                                      'database, as the role that owns it).',
                                              'options': {'--help': (None,
                                                                     'Show this message and exit.'),
                                                          '-h': (None,
                                                                 'Show this message and exit.')},
                                              'arguments': [],
                                              'commands': {}},
                                  'grant': {'help': "The PostgreSQL grants a team member's role "
                                                    'needs, now and after later upgrades.',
                                            'options': {'--run': (None,
                                                                  'Run the statements (as the '
                                                                  "schema's owner) instead of "
                                                                  'printing them.'),
                                                        '--help': (None,
                                                                   'Show this message and exit.'),
                                                        '-h': (None,
                                                               'Show this message and exit.')},
                                            'arguments': [('ROLE', False)],
                                            'commands': {}},
                                  'path': {'help': 'Print the database path (or URL, its password '
                                                   'masked).',
                                           'options': {'--help': (None,
                                                                  'Show this message and exit.'),
                                                       '-h': (None, 'Show this message and exit.')},
                                           'arguments': [],
                                           'commands': {}},
                                  'backup': {'help': 'Copy the database safely while it may be in '
                                                     'use (SQLite online backup).',
                                             'options': {'--help': (None,
                                                                    'Show this message and exit.'),
                                                         '-h': (None,
                                                                'Show this message and exit.')},
                                             'arguments': [('FILE', False)],
                                             'commands': {}},
                                  'restore': {'help': 'Replace the database with a backup; the '
                                                      'data as it was is kept in backups/.',
                                              'options': {'--help': (None,
                                                                     'Show this message and exit.'),
                                                          '-h': (None,
                                                                 'Show this message and exit.')},
                                              'arguments': [('BACKUP', False)],
                                              'commands': {}},
                                  'check': {'help': 'Check integrity, foreign keys, schema version '
                                                    'and file permissions.',
                                            'options': {'--help': (None,
                                                                   'Show this message and exit.'),
                                                        '-h': (None,
                                                               'Show this message and exit.')},
                                            'arguments': [],
                                            'commands': {}}}},
              'outbox': {'help': 'Notices to customers that have not left yet: list, send, drop.',
                         'options': {'--json': (None, 'The notices as JSON.'),
                                     '--help': (None, 'Show this message and exit.'),
                                     '-h': (None, 'Show this message and exit.')},
                         'arguments': [],
                         'commands': {'send': {'help': 'Send your waiting notices now, and try the '
                                                       'refused ones again.',
                                               'options': {'--help': (None,
                                                                      'Show this message and '
                                                                      'exit.'),
                                                           '-h': (None,
                                                                  'Show this message and exit.')},
                                               'arguments': [],
                                               'commands': {}},
                                      'drop': {'help': 'Give up a notice that has not left '
                                                       "(recorded in the promise's journal).",
                                               'options': {'--help': (None,
                                                                      'Show this message and '
                                                                      'exit.'),
                                                           '-h': (None,
                                                                  'Show this message and exit.')},
                                               'arguments': [('ID', False)],
                                               'commands': {}},
                                      'correct': {'help': 'Tell the customer what stands now, '
                                                          'after an undo of a change they were '
                                                          'told about.',
                                                  'options': {'--dry-run': (None,
                                                                            'With --tell: print '
                                                                            'the mail it would '
                                                                            'send; change '
                                                                            'nothing.'),
                                                              '--help': (None,
                                                                         'Show this message and '
                                                                         'exit.'),
                                                              '-h': (None,
                                                                     'Show this message and '
                                                                     'exit.')},
                                                  'arguments': [('ID', False)],
                                                  'commands': {}}}}}}

SETTINGS = ('business.days',
 'business.start',
 'business.end',
 'business.holidays',
 'business.country',
 'business.subdivision',
 'day.first_thing',
 'day.morning',
 'day.lunch',
 'day.afternoon',
 'day.evening',
 'remind.lead',
 'prompt.brief',
 'prompt.format',
 'prompt.ascii',
 'prompt.color',
 'prompt.refresh',
 'owner',
 'language',
 'customer.language',
 'tell.default',
 'mail.from',
 'mail.reply_to',
 'mail.bcc_self',
 'mail.smtp',
 'mail.password_command',
 'mail.sendmail',
 'mail.drafts',
 'notify.urls',
 'notify.team_urls',
 'notify.quiet',
 'caldav.url',
 'caldav.user',
 'caldav.password_command')
