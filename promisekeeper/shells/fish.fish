# promisekeeper for fish, printed by `pk init fish`. In ~/.config/fish/config.fish:
#   pk init fish | source
#
# On every fish_prompt event __pk_hook sets $PROMISEKEEPER_SEGMENT, e.g. "⚑2 ◷3" (2
# promises overdue, 3 more due later today; empty when all is well) and, unless
# `pk init fish --env-only` printed this, fish_prompt is wrapped to show it first.
# It reads the schedule pk writes after every change; fish has no clock builtin, so
# each prompt runs `date +%s`, and `pk prompt --schedule` only when the schedule is
# stale. The first shell of the day shows `pk brief` when something is due.

set -g __pk_cmd @@CMD@@
set -g __pk_schedule @@SCHEDULE@@
set -g __pk_briefed @@BRIEF_FILE@@
set -g __pk_db @@DB_FILE@@
set -g __pk_config @@CONFIG@@
set -g __pk_target @@TARGET@@
set -g __pk_envkey @@ENVKEY@@
set -g __pk_plain ''
set -g __pk_shown ''

# The baked paths hold only in the environment `pk init` saw.
function __pk_same_env
    test "$PROMISEKEEPER_DB|$PROMISEKEEPER_CONFIG|$PROMISEKEEPER_STATE|$XDG_DATA_HOME|$XDG_CONFIG_HOME|$XDG_STATE_HOME|$HOME" = "$__pk_envkey"
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

# Trust the schedule file unless the database, its -wal file (a commit in WAL mode
# touches only that) or the config changed after it was written.
function __pk_fresh
    test -f "$__pk_schedule"; and __pk_same_env; or return 1
    if test -n "$__pk_db"
        test "$__pk_db" -nt "$__pk_schedule"; and return 1
        test "$__pk_db-wal" -nt "$__pk_schedule"; and return 1
    end
    not test "$__pk_config" -nt "$__pk_schedule"
end

# Read a schedule on stdin and take the row in force at __pk_now. "check": refuse one
# made for another zone, database, config or time; otherwise (the output of
# `pk prompt --schedule`) it starts at the moment pk saw as now.
function __pk_read --argument-names mode
    read -l magic; and test "$magic" = 'pk-schedule 1'; or return 1
    read -l --delimiter ' ' start until ascii color stamp; or return 1
    read -l zone; and read -l target; and read -l template; or return 1
    string match -qrv '^[0-9]+$' -- "$start" "$until" "$ascii" "$color"; and return 1
    if test "$mode" = check
        set -l here unset
        set -q TZ; and set here "set:$TZ"
        test "$zone" = "$here"; and test "$target" = "$__pk_target"; or return 1
        test "$start" -le "$__pk_now"; and test "$__pk_now" -lt "$until"; or return 1
        if test -e "$__pk_config"
            test "$stamp" != -1; or return 1
        else
            test "$stamp" = -1; or return 1
        end
    else
        set -g __pk_now $start
    end
    set -g __pk_o ''
    while read -l --delimiter ' ' from o t nx who
        string match -qrv '^[0-9]+$' -- "$from" "$o" "$t"; and return 1
        string match -qr '^([0-9]+|-)$' -- "$nx"; or return 1
        test "$from" -le "$__pk_now"; or break
        set -g __pk_o $o
        set -g __pk_t $t
        set -g __pk_nx $nx
        set -g __pk_who "$who"
    end
    test -n "$__pk_o"; or return 1
    set -g __pk_template "$template"
    set -g __pk_ascii $ascii
    set -g __pk_color $color
end

# __pk_plain (for $PROMISEKEEPER_SEGMENT) and __pk_shown (coloured) from the row,
# exactly as `pk prompt` renders it.
function __pk_compose
    set -g __pk_plain ''
    set -g __pk_shown ''
    test "$__pk_o" -gt 0; or test "$__pk_t" -gt 0; or return 0
    set -l text ''
    if test -z "$__pk_template"
        set -l late ⚑
        set -l soon ◷
        if test "$__pk_ascii" = 1
            set late '!'
            set soon '~'
        end
        set -l parts
        test "$__pk_o" -gt 0; and set -a parts $late$__pk_o
        test "$__pk_t" -gt 0; and set -a parts $soon$__pk_t
        set text (string join ' ' -- $parts)
    else
        set -l next_in ''
        set -l who ''
        if test "$__pk_nx" != -
            set -l left (math $__pk_nx - $__pk_now)
            set who "$__pk_who"
            if test $left -lt 3600
                test $left -lt 0; and set left 0
                set next_in (math "floor($left / 60)")m
            else if test $left -lt 172800
                set next_in (math "floor($left / 3600)")h
            else
                set next_in (math "floor($left / 86400)")d
            end
        end
        set text (string replace -a -- '{overdue}' $__pk_o "$__pk_template")
        set text (string replace -a -- '{today}' $__pk_t "$text")
        set text (string replace -a -- '{next_in}' "$next_in" "$text")
        set text (string replace -a -- '{next_who}' "$who" "$text")
    end
    set -g __pk_plain "$text"
    set -g __pk_shown "$text"
    if test "$__pk_color" = 1; and test -z "$NO_COLOR"
        set -l code \e\[33m
        test "$__pk_o" -gt 0; and set code \e\[31m
        set -g __pk_shown "$code$text"\e\[0m
    end
end

function __pk_render
    if not begin
            __pk_clock; and __pk_fresh; and __pk_read check <"$__pk_schedule"
        end 2>/dev/null
        set -l out ($__pk_cmd prompt --schedule 2>/dev/null)
        if not printf '%s\n' $out | __pk_read fallback
            set -g __pk_plain ''
            set -g __pk_shown ''
            return 0
        end
    end
    __pk_compose
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
        test -r "$__pk_briefed"; and read last <"$__pk_briefed"
        test "$last" = "$today"; and return 0
        __pk_render
        test -n "$__pk_plain"; or return 0
    end
    $__pk_cmd brief --once-a-day
end

if test @@BRIEF@@ = 1; and status is-interactive
    __pk_brief
end
