# promisekeeper for bash, printed by `pk init bash`. In ~/.bashrc:  eval "$(pk init bash)"
#
# Before each prompt __pk_hook sets $PROMISEKEEPER_SEGMENT, e.g. "⚑2 ◷3" (2 promises
# overdue, 3 more due later today; empty when all is well) and, unless `pk init bash
# --env-only` printed this, shows it at the start of PS1. pk writes the segment as it will
# read from each coming moment into a schedule after every change; the hook picks the row
# for now, checks its sum and prints its text, starting no process. When the schedule is
# stale (a change pk did not record, a restored file, another zone or database, past its
# end, a row that does not add up) it asks `pk prompt --schedule`. The first shell of the
# day shows `pk brief` when something is due (config prompt.brief = false turns that off).

__pk_cmd=(@@CMD@@)
__pk_schedule=@@SCHEDULE@@
__pk_stamp=@@STAMP@@
__pk_briefed=@@BRIEF_FILE@@
__pk_db=@@DB_FILE@@
__pk_config=@@CONFIG@@
__pk_target=@@TARGET@@
__pk_login=@@LOGIN@@
__pk_plain= __pk_shown= __pk_ps1=
__pk_last_row= __pk_last_text= __pk_last_sev=0  # the last row checked, and what it reads

# The baked paths, and the login name whose promises count, hold only in the environment
# `pk init` saw. A password in a database URL matches as * here: this file holds none.
__pk_same_env() {
  [[ "${PROMISEKEEPER_DB-}|${PROMISEKEEPER_CONFIG-}|${PROMISEKEEPER_STATE-}|${XDG_DATA_HOME-}|${XDG_CONFIG_HOME-}|${XDG_STATE_HOME-}|${HOME-}" == @@ENVPATTERN@@ ]] || return 1
  # The login name as getpass finds it: LOGNAME, else USER (neither set: the same user id).
  local login=${LOGNAME:-${USER-}}
  [[ -z $login || $login == "$__pk_login" ]]
}

# __pk_now := epoch seconds, from PROMISEKEEPER_NOW=@SECONDS or the clock; an ISO
# PROMISEKEEPER_NOW (or a bash without printf %()T) is left to `pk prompt`.
__pk_clock() {
  if [[ -n ${PROMISEKEEPER_NOW-} ]]; then
    local digits=${PROMISEKEEPER_NOW#@}
    [[ $PROMISEKEEPER_NOW == @* && -n $digits && $digits != *[!0-9]* ]] || return 1
    __pk_now=$((10#$digits))
  else
    (( BASH_VERSINFO[0] * 100 + BASH_VERSINFO[1] >= 402 )) || return 1
    printf -v __pk_now '%(%s)T' -1
  fi
}

# Whether the files the schedule was read from are as they were ($1: 1 if it was read from
# a database file). The schedule's mtime is the newer of the database's and its -wal's as
# pk read them, the companion's the config's: equal, not merely not older, so a restored
# older file is a change too.
__pk_unchanged() {
  if [[ -e $__pk_config ]]; then
    [[ -e $__pk_stamp && ! $__pk_config -nt $__pk_stamp && ! $__pk_config -ot $__pk_stamp ]]
  else
    [[ ! -e $__pk_stamp ]]
  fi || return 1
  [[ -n $__pk_db ]] || return 0  # a database behind a URL: the rows' ends bound the schedule
  local s=$__pk_schedule db=$__pk_db wal=$__pk_db-wal
  if (( $1 )); then
    [[ ! $db -nt $s && ! $wal -nt $s ]] && { [[ -e $db && ! $s -nt $db ]] || [[ -e $wal && ! $s -nt $wal ]]; }
  else
    [[ ! -e $db && ! -e $wal ]]
  fi
}

# Read a schedule on stdin; set __pk_plain and __pk_sev from the row in force at __pk_now once
# its sum adds up. "check": also refuse one made for another zone, database or files;
# otherwise (the output of `pk prompt --schedule`) it starts at the moment pk saw as now.
# Lines are read at most 16 KiB at a time, rows only up to the one in force, and only
# digits reach arithmetic.
__pk_read() {
  local IFS=$' \t\n' magic zone target color file from until rest n=0
  IFS= read -r -n 64 magic && [[ $magic == 'pk-schedule 2' ]] || return 1
  IFS= read -r -n 4096 zone && IFS= read -r -n 4096 target && read -r -n 64 color file || return 1
  [[ $color == [01] && $file == [01] ]] || return 1
  if [[ $1 == check ]]; then
    local here=unset
    [[ -n ${TZ+set} ]] && here="set:$TZ"
    [[ $zone == "$here" && $target == "$__pk_target" ]] && __pk_unchanged "$file" || return 1
  fi
  while :; do
    (( n++ < 200 )) && read -r -n 16384 from until rest || return 1
    [[ -n $from && -n $until && $from$until != *[!0-9]* ]] || return 1
    [[ $1 == check ]] || (( n > 1 )) || __pk_now=$(( 10#$from ))
    (( 10#$from <= __pk_now )) || return 1
    (( __pk_now < 10#$until )) && break
  done
  # The row in force: CHECK SEVERITY N and N bytes. A row checked before is known by its
  # whole line, flags included: nothing to add up again.
  local row="$color $file $from $until $rest"
  if [[ $row != "$__pk_last_row" ]]; then
    local check=${rest%% *} shown=${rest#* } e w=0 sum sev bytes
    local values="$color $file $from $until $shown"
    # Decimal numbers only, none with a leading 0 (arithmetic would read it as octal).
    [[ " $rest " != *[!0-9\ ]* && " $values" != *" 0"[0-9]* && $shown == *" "* ]] || return 1
    sev=${shown%% *} bytes=${shown#* }
    n=${bytes%% *} bytes=${bytes#"$n"}
    # Its sum: Σ i·vᵢ mod 2³¹-1 over (color, file, from, until, severity, n, its bytes).
    (( sum = (${values// /*++w+}*++w) % 2147483647, 1 )) || return 1
    [[ $sum == "$check" ]] && (( sev <= 2 )) || return 1
    __pk_last_text=
    if [[ -n $bytes ]]; then
      printf -v e '\\x%x' $bytes && printf -v __pk_last_text "$e" || return 1
    fi
    __pk_last_row=$row __pk_last_sev=$sev
  fi
  __pk_plain=$__pk_last_text __pk_sev=$__pk_last_sev __pk_color=$color
}

# __pk_plain (for $PROMISEKEEPER_SEGMENT) and __pk_shown (coloured, for PS1): the row's text
# as pk rendered it, coloured as `pk prompt --shell bash` colours it.
__pk_render() {
  local __pk_now __pk_sev=0 __pk_color=0 out
  __pk_plain=
  if ! { __pk_clock && [[ -f $__pk_schedule ]] && __pk_same_env && __pk_read check < "$__pk_schedule"; } 2>/dev/null; then
    out=$("${__pk_cmd[@]}" prompt --schedule 2>/dev/null)
    __pk_read fallback <<< "$out" 2>/dev/null || __pk_plain=
  fi
  __pk_shown=$__pk_plain
  if [[ -n $__pk_plain ]] && (( __pk_color )) && [[ -z ${NO_COLOR-} ]]; then
    local code=$'\e[33m'
    (( __pk_sev == 2 )) && code=$'\e[31m'
    # \001 and \002 are what \[ and \] become: they keep readline's line width right.
    __pk_shown=$'\001'$code$'\002'$__pk_plain$'\001\e[0m\002'
  fi
}

# Print the segment as `pk prompt --shell bash` would, for a PS1 of your own.
__pk_prompt() {
  __pk_render
  [[ -z $__pk_shown ]] || printf '%s\n' "$__pk_shown"
}

__pk_hook() {
  local __pk_status=$?
  __pk_render
  export PROMISEKEEPER_SEGMENT=$__pk_plain
  __pk_ps1=${__pk_shown:+$__pk_shown }
  return $__pk_status
}

# The daily briefing, once a day and only when something is overdue or due today;
# once it has been shown today this starts no process at all.
__pk_brief() {
  local __pk_now today= last=
  if __pk_clock; then
    printf -v today '%(%F)T' "$__pk_now"
    [[ -f $__pk_briefed ]] && IFS= read -r -n 64 last < "$__pk_briefed"
    [[ $last == "$today" ]] && return 0
    __pk_render
    [[ -n $__pk_plain ]] || return 0
  fi
  "${__pk_cmd[@]}" brief --once-a-day
}

# Last in PROMPT_COMMAND (a string, or an array in bash >= 5.1), once however often
# this is evaluated. Any command resets PIPESTATUS, and only a pipeline of new processes
# could set it back, so a hook run first would leave every later entry (a status line, a
# history logger, starship) one status where a pipeline had several. Run last, the
# entries before it see all of your command's statuses, and the hook still hands $? on
# to PS1, which bash expands after the whole of PROMPT_COMMAND: the segment there is
# always current. The price, weighed against that: an entry before the hook that reads
# $PROMISEKEEPER_SEGMENT sees the value from the prompt before (the other way round,
# everything after a first hook loses the statuses, every prompt). starship is such a
# reader, so evaluate this before `starship init bash`: starship takes PROMPT_COMMAND
# over and runs it (this hook too) after saving $? and PIPESTATUS and before making its
# prompt, so it gets the statuses and a current segment. A newline, not ";", joins the
# string: it also ends an entry with a trailing ";", "&" or a comment. A copy starship
# has taken over counts as hooked (STARSHIP_PROMPT_COMMAND; in older starships
# _PRESERVED_PROMPT_COMMAND), so reading ~/.bashrc again adds no second hook after it.
if [[ "${PROMPT_COMMAND[*]-} ${STARSHIP_PROMPT_COMMAND-} ${_PRESERVED_PROMPT_COMMAND-}" != *__pk_hook* ]]; then
  if (( BASH_VERSINFO[0] * 100 + BASH_VERSINFO[1] >= 501 )) && [[ -n ${PROMPT_COMMAND+set} ]] \
    && [[ ${PROMPT_COMMAND@a} == *a* ]]; then
    PROMPT_COMMAND+=(__pk_hook)
  elif [[ ${PROMPT_COMMAND-} == *[![:space:]\;]* ]]; then
    PROMPT_COMMAND+=$'\n__pk_hook'
  else
    PROMPT_COMMAND=__pk_hook
  fi
fi
if (( @@IN_PROMPT@@ )) && shopt -q promptvars && [[ ${PS1-} != *'${__pk_ps1}'* ]]; then
  PS1='${__pk_ps1}'${PS1-}
fi
if (( @@BRIEF@@ )) && [[ $- == *i* ]]; then
  __pk_brief
fi
:
