# promisekeeper for fish, printed by `pk init fish`. In ~/.config/fish/config.fish:
#   pk init fish | source
#
# On every fish_prompt event __pk_hook sets $PROMISEKEEPER_SEGMENT, e.g. "⚑2 ◷3" (2
# promises overdue, 3 more due later today; empty when all is well) and, unless
# `pk init fish --env-only` printed this, fish_prompt is wrapped to show it first.
# pk writes the segment as it will read from each coming moment into a schedule after every
# change; the hook picks the row for now, checks its sum and prints its text. fish has no
# clock builtin, so each prompt runs `date +%s`, and `pk prompt --schedule` only when the
# schedule is stale. The first shell of the day shows `pk brief` when something is due.

set -g __pk_cmd @@CMD@@
set -g __pk_schedule @@SCHEDULE@@
set -g __pk_stamp @@STAMP@@
set -g __pk_briefed @@BRIEF_FILE@@
set -g __pk_db @@DB_FILE@@
set -g __pk_config @@CONFIG@@
set -g __pk_target @@TARGET@@
set -g __pk_login @@LOGIN@@
set -g __pk_plain ''
set -g __pk_shown ''
set -g __pk_last_row '' # the last row checked, and what it reads
set -g __pk_last_text ''
set -g __pk_last_sev 0

# The baked paths, and the login name whose promises count, hold only in the environment
# `pk init` saw. A password in a database URL matches as .* here: this file holds none.
function __pk_same_env
    string match -qr -- @@ENVPATTERN@@ "$PROMISEKEEPER_DB|$PROMISEKEEPER_CONFIG|$PROMISEKEEPER_STATE|$XDG_DATA_HOME|$XDG_CONFIG_HOME|$XDG_STATE_HOME|$HOME"; or return 1
    # The login name as getpass finds it: LOGNAME, else USER (neither set: the same user id).
    set -l login $LOGNAME
    test -n "$login"; or set login $USER
    test -z "$login"; or test "$login" = "$__pk_login"
end

# __pk_now := epoch seconds, from PROMISEKEEPER_NOW=@SECONDS or the clock; an ISO
# PROMISEKEEPER_NOW is left to `pk prompt`.
function __pk_clock
    if test -n "$PROMISEKEEPER_NOW"
        string match -qr '^@[0-9]+$' -- "$PROMISEKEEPER_NOW"; or return 1
        set -g __pk_now (string sub -s 2 -- $PROMISEKEEPER_NOW)
    else
        set -g __pk_now (date +%s); or return 1
    end
end

# Whether the files the schedule was read from are as they were ($argv[1]: 1 if it was read
# from a database file). The schedule's mtime is the newer of the database's and its -wal's
# as pk read them, the companion's the config's: equal, not merely not older, so a restored
# older file is a change too.
function __pk_unchanged --argument-names has_file
    if test -e "$__pk_config"
        test -e "$__pk_stamp"; or return 1
        test "$__pk_config" -nt "$__pk_stamp"; or test "$__pk_config" -ot "$__pk_stamp"; and return 1
    else
        test -e "$__pk_stamp"; and return 1
    end
    test -n "$__pk_db"; or return 0 # a database behind a URL: the rows' ends bound the schedule
    set -l s $__pk_schedule
    set -l db $__pk_db
    set -l wal $__pk_db-wal
    if test "$has_file" = 1
        test "$db" -nt "$s"; or test "$wal" -nt "$s"; and return 1
        begin
            test -e "$db"; and not test "$s" -nt "$db"
        end; or begin
            test -e "$wal"; and not test "$s" -nt "$wal"
        end
    else
        not test -e "$db"; and not test -e "$wal"
    end
end

# Read a schedule on stdin; set __pk_plain and __pk_sev from the row in force at __pk_now once
# its sum adds up. "check": also refuse one made for another zone, database or files;
# otherwise (the output of `pk prompt --schedule`) it starts at the moment pk saw as now.
# Lines are read at most 16 KiB at a time.
function __pk_read --argument-names mode
    read -l --nchars 64 magic; and test "$magic" = 'pk-schedule 2'; or return 1
    read -l --nchars 4096 zone; and read -l --nchars 4096 target; or return 1
    read -l --nchars 64 --delimiter ' ' color file; or return 1
    test (count (string match -r '^[01]$' -- $color $file)) = 2; or return 1
    if test "$mode" = check
        set -l here unset
        set -q TZ; and set here "set:$TZ"
        test "$zone" = "$here"; and test "$target" = "$__pk_target"; or return 1
        __pk_unchanged $file; or return 1
    end
    set -l n 0
    set -l from
    set -l until
    set -l rest
    while true # (read sets the variables of the function, not of this block)
        test $n -lt 200; and read --nchars 16384 --delimiter ' ' from until rest; or return 1
        set n (math $n + 1)
        test (count (string match -r '^[0-9]+$' -- $from $until)) = 2; or return 1
        test "$mode" = check; or test $n -gt 1; or set -g __pk_now $from
        test "$from" -le "$__pk_now"; or return 1
        test "$__pk_now" -lt "$until"; and break
    end
    # The row in force: CHECK SEVERITY N and N bytes. A row checked before is known by its
    # whole line, flags included: nothing to add up again.
    set -l row "$color $file $from $until $rest"
    if test "$row" != "$__pk_last_row"
        set -l f (string split ' ' -- $rest)
        test (count (string match -r '^[0-9]+$' -- $f)) = (count $f); or return 1
        string match -qr '^[0-9]{1,4}$' -- "$f[3]"; or return 1
        test (count $f) = (math 3 + $f[3]); and test "$f[2]" -le 2; or return 1
        # Its sum: Σ i·vᵢ mod 2³¹-1 over (color, file, from, until, severity, n, its bytes).
        set -l seen
        set -l sum 0
        for v in $color $file $from $until $f[2..-1]
            set -a seen $v
            set sum "$sum+$v*"(count $seen)
        end
        test (math "($sum) % 2147483647") = "$f[1]"; or return 1
        set -g __pk_last_text ''
        if test $f[3] -gt 0
            set -g __pk_last_text (printf (printf '\\\\x%x' $f[4..-1]))
        end
        set -g __pk_last_row $row
        set -g __pk_last_sev $f[2]
    end
    set -g __pk_plain "$__pk_last_text"
    set -g __pk_sev $__pk_last_sev
    set -g __pk_color $color
end

# __pk_plain (for $PROMISEKEEPER_SEGMENT) and __pk_shown (coloured): the row's text as pk
# rendered it, coloured as `pk prompt` colours it.
function __pk_render
    set -g __pk_sev 0
    set -g __pk_color 0
    set -g __pk_plain ''
    if not begin
            __pk_clock; and test -f "$__pk_schedule"; and __pk_same_env
            and __pk_read check <"$__pk_schedule"
        end 2>/dev/null
        set -l out ($__pk_cmd prompt --schedule 2>/dev/null)
        printf '%s\n' $out | __pk_read fallback 2>/dev/null; or set -g __pk_plain ''
    end
    set -g __pk_shown "$__pk_plain"
    if test -n "$__pk_plain"; and test "$__pk_color" = 1; and test -z "$NO_COLOR"
        set -l code \e\[33m
        test "$__pk_sev" = 2; and set code \e\[31m
        set -g __pk_shown "$code$__pk_plain"\e\[0m
    end
end

# Print the segment as `pk prompt` would.
function __pk_prompt
    __pk_render
    test -n "$__pk_shown"; and printf '%s\n' "$__pk_shown"
    return 0
end

# fish runs event handlers before fish_prompt and gives $status and $pipestatus back
# afterwards, so the prompt still sees the last command's.
function __pk_hook --on-event fish_prompt
    __pk_render
    set -gx PROMISEKEEPER_SEGMENT "$__pk_plain"
end

# Show the segment before the prompt you have, once however often this is sourced.
# Your prompt runs first, before any command here can reset $status and $pipestatus
# (they cannot be set back: `return` restores one status, not a pipeline's), and what
# it prints is kept whole, every line and a final newline or none, to print after the
# segment.
if test @@IN_PROMPT@@ = 1; and not functions -q __pk_user_fish_prompt
    functions -q fish_prompt; and functions --copy fish_prompt __pk_user_fish_prompt
    or function __pk_user_fish_prompt
    end
    function fish_prompt
        set -l yours (__pk_user_fish_prompt | string collect --no-trim-newlines)
        test -n "$__pk_shown"; and printf '%s ' "$__pk_shown"
        printf '%s' "$yours"
    end
end

# The daily briefing, once a day and only when something is overdue or due today.
function __pk_brief
    if __pk_clock
        set -l today (date -d "@$__pk_now" +%F 2>/dev/null; or date -r "$__pk_now" +%F 2>/dev/null)
        set -l last ''
        test -f "$__pk_briefed"; and read --nchars 64 last <"$__pk_briefed"
        test "$last" = "$today"; and return 0
        __pk_render
        test -n "$__pk_plain"; or return 0
    end
    $__pk_cmd brief --once-a-day
end

if test @@BRIEF@@ = 1; and status is-interactive
    __pk_brief
end
